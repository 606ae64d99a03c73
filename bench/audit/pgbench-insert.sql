-- The audit INSERT of bench/audit (one event, the shape appendAuditEvents writes) for pgbench: the ceiling
-- Postgres alone reaches on this machine, with no Node process in the way. See RESULTS.md, "Re-run on a quiet machine".
\set r random(1, 1000000000)
BEGIN;
INSERT INTO audit_events (ts, actor_kind, actor_id, actor_label, action, subject_type, subject_id, "authorization", payload, nonce, mac) VALUES (now(), 'worker', 'w-1', 'worker w-1', 'turn.completed', 'run', 'run-' || :r, '{"kind":"job","jobId":"triage"}', ('{"runId":"run-' || :r || '","jobId":"triage","turn":3,"outcome":"ok","tokens":{"input":1200,"output":300}}')::jsonb, md5(:r::text), md5(random()::text) || md5(random()::text));
COMMIT;

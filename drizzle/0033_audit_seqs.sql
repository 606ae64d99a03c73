-- An event's seq moves from a column of audit_events, which the sealer set with an UPDATE, to a
-- narrow insert-only table. The UPDATE was the sealer's largest cost: it could not be HOT (seq was
-- indexed), so each sealed event was rewritten whole and re-entered into all eleven indexes of
-- audit_events — measured 33–39 µs an event against 3 µs for inserting (seq, event_id) rows
-- (docs/PERFORMANCE.md). audit_events is now insert-only outright; the view audit_log reads
-- events with their seqs as the table did. Rewrites nothing but the seqs; takes audit_events'
-- ACCESS EXCLUSIVE lock for the column drop (instant) and while the seqs are copied.
CREATE TABLE "audit_seqs" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"event_id" bigint NOT NULL
);--> statement-breakpoint
LOCK TABLE "audit_events" IN ACCESS EXCLUSIVE MODE;--> statement-breakpoint
INSERT INTO "audit_seqs" ("seq", "event_id") SELECT "seq", "id" FROM "audit_events" WHERE "seq" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_seqs_event_idx" ON "audit_seqs" USING btree ("event_id");--> statement-breakpoint
DROP INDEX "audit_events_seq_idx";--> statement-breakpoint
DROP INDEX "audit_events_unsealed_idx";--> statement-breakpoint
-- The guard functions named seq; replaced before the column goes.
CREATE OR REPLACE FUNCTION audit_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Audit events can only be inserted; the sealer records each seq in audit_seqs.';
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_events_check_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.mac IS NULL OR NEW.nonce IS NULL THEN
    RAISE EXCEPTION 'audit_events: an event is inserted with its nonce and MAC'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NOT isfinite(NEW.ts) OR NEW.ts >= timestamptz '275760-09-13 00:00:00+00' THEN
    RAISE EXCEPTION 'audit_events: ts % is not a time an event can have', NEW.ts
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_search_check_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  expected text;
  id bigint;
BEGIN
  IF NEW.seq IS DISTINCT FROM (SELECT coalesce(max(seq), 0) + 1 FROM audit_search) THEN
    RAISE EXCEPTION 'audit_search: seq % is not the next one to index', NEW.seq
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT lower(audit_search_text(e.payload, e.actor_label, e.subject_id)), e.id INTO expected, id
    FROM audit_seqs s JOIN audit_events e ON e.id = s.event_id WHERE s.seq = NEW.seq;
  IF expected IS NULL OR NEW.body IS DISTINCT FROM expected THEN
    RAISE EXCEPTION 'audit_search: the text of seq % must be its sealed event''s', NEW.seq
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.event_id IS DISTINCT FROM id THEN
    RAISE EXCEPTION 'audit_search: seq % belongs to event %, not %', NEW.seq, id, NEW.event_id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
-- The sealer's floor: every event with an id up to it is sealed, refused, or was never committed
-- (lib/audit/seal-floor.ts). Sealer bookkeeping, not part of the signed note. With the table locked no
-- writer is open, so the floor now is just below the oldest event still waiting; it is the added
-- column's value on every existing checkpoint (a default, so no UPDATE trigger fires), and each
-- new checkpoint states its own.
DO $$
DECLARE
  floor_now bigint;
BEGIN
  SELECT coalesce(
           (SELECT min(e.id) - 1 FROM audit_events e
             WHERE e.seq IS NULL AND NOT EXISTS (SELECT 1 FROM audit_rejections r WHERE r.event_id = e.id)),
           (SELECT max(id) FROM audit_events),
           0)
    INTO floor_now;
  EXECUTE format('ALTER TABLE audit_checkpoints ADD COLUMN floor_id bigint NOT NULL DEFAULT %s', floor_now);
  ALTER TABLE audit_checkpoints ALTER COLUMN floor_id DROP DEFAULT;
END;
$$;--> statement-breakpoint
ALTER TABLE "audit_events" DROP COLUMN "seq";--> statement-breakpoint
CREATE VIEW "audit_log" AS
  SELECT e.id, s.seq, e.ts, e.actor_kind, e.actor_id, e.actor_label, e.action, e.subject_type, e.subject_id,
         e."authorization", e.payload, e.nonce, e.mac, e.prev_hash, e.hash
    FROM audit_events e LEFT JOIN audit_seqs s ON s.event_id = e.id;--> statement-breakpoint
-- audit_seqs only grows, like the tree: no UPDATE, DELETE or TRUNCATE, also in replica mode.
CREATE TRIGGER audit_seqs_no_change BEFORE UPDATE OR DELETE ON audit_seqs
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();--> statement-breakpoint
CREATE TRIGGER audit_seqs_no_truncate BEFORE TRUNCATE ON audit_seqs
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();--> statement-breakpoint
ALTER TABLE audit_seqs ENABLE ALWAYS TRIGGER audit_seqs_no_change;--> statement-breakpoint
ALTER TABLE audit_seqs ENABLE ALWAYS TRIGGER audit_seqs_no_truncate;--> statement-breakpoint
GRANT SELECT, INSERT ON audit_seqs TO flightdeck_app;--> statement-breakpoint
GRANT SELECT ON audit_log TO flightdeck_app;
--> statement-breakpoint
-- Every writer's transaction has its xid before its events take their ids (the sealer's floor relies
-- on it, lib/audit/seal-floor.ts): an INSERT takes the id when it builds the row and the xid only
-- when it stores it, so a transaction whose first write is this one asks for its xid first.
CREATE OR REPLACE FUNCTION flightdeck_append_audit(p_events jsonb) RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
  PERFORM pg_current_xact_id();
  INSERT INTO audit_events (ts, actor_kind, actor_id, actor_label, action, subject_type, subject_id, "authorization", payload, nonce, mac)
  SELECT (e->>'ts')::timestamptz, e->>'actorKind', e->>'actorId', e->>'actorLabel', e->>'action', e->>'subjectType',
    e->>'subjectId', e->'authorization', e->'payload', e->>'nonce', e->>'mac'
  FROM jsonb_array_elements(p_events) WITH ORDINALITY AS t(e, n)
  ORDER BY n;
END;
$$;

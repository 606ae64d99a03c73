-- A worker claims only runs of the model endpoints it can call (lib/runtime/worker.ts `endpoints`):
-- flightdeck_claim_candidate's p_only becomes a set (0030 took one name, for a handoff). A deployment's
-- workers pass the endpoints of their configuration, so a run on an endpoint no worker of theirs has —
-- another build's, or a proof run with --live (docs/PROOF.md) — waits for a worker that has it instead
-- of being claimed and failed. The endpoints at their limit and those with a token limit are answered
-- among the set only: a worker marks waits on runs it could take, never on another worker's.
-- Otherwise the statement and its rules are 0030's (see there). A new overload: 0030's one-name form
-- stays, forwarding to this one (below), so a worker of the previous build keeps claiming through a
-- rolling deploy; the TS calls cast p_only to text[], which picks this one.
CREATE OR REPLACE FUNCTION flightdeck_claim_candidate(
  p_first boolean,
  p_exclude text[],
  p_skip_ids text[],
  p_skip_keys text[],
  p_only text[],
  p_ageing_ms integer
) RETURNS TABLE (
  now_ms double precision,
  full_endpoints text[],
  token_limited text[],
  candidate text,
  picked_key text,
  run runs
)
LANGUAGE plpgsql VOLATILE
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
  v_now double precision;
  v_full text[];
  v_limited text[];
  v_eps text[] := p_exclude;
BEGIN
  IF p_first THEN
    v_now := extract(epoch from now()) * 1000;
    SELECT coalesce(array_agg(e.name), '{}') INTO v_limited FROM model_endpoints e
    WHERE e.tokens_per_minute IS NOT NULL AND (p_only IS NULL OR e.name = ANY (p_only));
    SELECT coalesce(array_agg(e.name), '{}') INTO v_full FROM model_endpoints e
    WHERE (p_only IS NULL OR e.name = ANY (p_only)) AND (e.max_concurrency <= (
        SELECT count(*) FROM runs r
        WHERE r.model_endpoint = e.name AND r.lease_token IS NOT NULL AND r.lease_expires_at > now() AND NOT r.slot_released
      ) OR e.tokens_per_minute <= (
        SELECT w.used FROM resource_windows w
        WHERE w.resource = 'endpoint:' || e.name AND w.scope = '*' AND w.window_start = date_trunc('minute', now())
      ));
    v_eps := v_eps || v_full;
  END IF;

  RETURN QUERY
  WITH top AS (
    SELECT l.priority AS p FROM scheduling_lanes l
    WHERE l.runnable > 0 AND l.model_endpoint || '' <> ALL (v_eps) AND l.key <> ALL (p_skip_keys)
      AND (p_only IS NULL OR l.model_endpoint = ANY (p_only))
    ORDER BY l.priority DESC LIMIT 1
  ),
  expired AS (
    SELECT r.id FROM runs r
    WHERE r.lease_token IS NOT NULL AND r.lease_expires_at < now() AND r.state = 'running'
      AND r.model_endpoint || '' <> ALL (v_eps) AND r.id <> ALL (p_skip_ids) AND (p_only IS NULL OR r.model_endpoint = ANY (p_only))
    ORDER BY r.lease_expires_at LIMIT 1
  ),
  aged AS (
    SELECT a.id FROM (
      SELECT DISTINCT l.priority FROM scheduling_lanes l
      WHERE l.runnable > 0 AND l.priority < (SELECT p FROM top) AND l.model_endpoint || '' <> ALL (v_eps)
        AND (p_only IS NULL OR l.model_endpoint = ANY (p_only))
    ) c
    CROSS JOIN LATERAL (
      SELECT r.id, r.runnable_since FROM runs r
      WHERE r.state IN ('queued', 'running') AND r.lease_token IS NULL AND r.priority = c.priority
        AND r.model_endpoint || '' <> ALL (v_eps) AND r.id <> ALL (p_skip_ids) AND (p_only IS NULL OR r.model_endpoint = ANY (p_only))
      ORDER BY r.runnable_since LIMIT 1
    ) a
    WHERE a.runnable_since <= now() - p_ageing_ms * interval '1 millisecond'
    ORDER BY a.runnable_since LIMIT 1
  ),
  picked AS (
    SELECT l.key FROM scheduling_lanes l JOIN scheduling_keys k ON k.key = l.key
    WHERE l.runnable > 0 AND l.priority = (SELECT p FROM top)
      AND l.model_endpoint || '' <> ALL (v_eps) AND l.key <> ALL (p_skip_keys) AND (p_only IS NULL OR l.model_endpoint = ANY (p_only))
    ORDER BY k.vtime, l.key LIMIT 1
  ),
  keyed AS (
    SELECT r.id FROM runs r
    WHERE r.fair_group = (SELECT key FROM picked) AND r.priority = (SELECT p FROM top)
      AND r.state IN ('queued', 'running') AND r.lease_token IS NULL
      AND r.model_endpoint || '' <> ALL (v_eps) AND r.id <> ALL (p_skip_ids) AND (p_only IS NULL OR r.model_endpoint = ANY (p_only))
    ORDER BY r.deadline ASC NULLS LAST, r.created_at ASC LIMIT 1
  ),
  cand AS MATERIALIZED (
    SELECT coalesce((SELECT id FROM expired), (SELECT id FROM aged), (SELECT id FROM keyed)) AS id,
           (SELECT key FROM picked) AS key
  )
  SELECT v_now, v_full, v_limited, cand.id, cand.key, locked.r
  FROM cand LEFT JOIN LATERAL (
    SELECT x AS r FROM runs x
    WHERE x.id = cand.id AND x.state IN ('queued', 'running') AND (x.lease_token IS NULL OR x.lease_expires_at < now())
    FOR NO KEY UPDATE SKIP LOCKED
  ) locked ON true;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION flightdeck_claim_candidate(
  p_first boolean,
  p_exclude text[],
  p_skip_ids text[],
  p_skip_keys text[],
  p_only text,
  p_ageing_ms integer
) RETURNS TABLE (
  now_ms double precision,
  full_endpoints text[],
  token_limited text[],
  candidate text,
  picked_key text,
  run runs
)
LANGUAGE sql VOLATILE
AS $$
  SELECT * FROM flightdeck_claim_candidate(p_first, p_exclude, p_skip_ids, p_skip_keys,
    CASE WHEN p_only IS NULL THEN NULL ELSE ARRAY[p_only] END, p_ageing_ms);
$$;

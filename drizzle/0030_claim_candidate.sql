-- The claim policy's statement as a function (lib/runtime/claim-order.ts; the rules are
-- lib/scheduling/policy.ts), so its plan is made once per connection instead of once per claim:
-- planning the statement cost more than running it (0.63 ms against 0.16 ms a call on the
-- dispatch bench, pg_stat_statements). On a claim's first call it also answers the database clock,
-- the endpoints already at their limit (excluded from the pick) and those with a tokens-per-minute
-- limit: one round trip fewer per claim and per handoff.
--
-- plan_cache_mode = force_generic_plan: every parameter is a list or a name, none changes which
-- index serves; a custom plan per call would bring the planning back (bench/fairness checks the
-- plan stays an index walk from 1,000 to 100,000 runnable runs, over 1,000 keys and over one).
-- `model_endpoint || ''` hides the column's statistics from the endpoint exclusion: most
-- deployments have one or two endpoints, so against a list of unknown length the planner would
-- estimate that almost no run passes and, expecting one row, sort a whole key's runs instead of
-- walking the index in order and stopping at the first.
--
-- 1. a run whose lease expired (its worker died) is recovered first;
-- 2. else a run below the top priority class that has been runnable for the ageing time, oldest
--    first (one index probe per class below the top);
-- 3. else, in the top class, the key with the least virtual time (scheduling_lanes ⋈ scheduling_keys:
--    a table the size of the key set), then within the key the earliest deadline, then the oldest run.
-- Runnable: queued, or running without a lease. The row is locked FOR NO KEY UPDATE SKIP LOCKED: a
-- claimer never blocks on another, and a tool transaction of a stopped worker (KEY SHARE on the run,
-- its foreign keys) does not hide the run from the worker that rescues it. The runnable test is
-- repeated at the lock: the CTEs read the statement's snapshot, and a run another claimer took (and
-- committed) since must not come back as a recovery; Postgres re-checks it against the newest version.
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
    SELECT coalesce(array_agg(e.name), '{}') INTO v_limited FROM model_endpoints e WHERE e.tokens_per_minute IS NOT NULL;
    SELECT coalesce(array_agg(e.name), '{}') INTO v_full FROM model_endpoints e
    WHERE e.max_concurrency <= (
        SELECT count(*) FROM runs r
        WHERE r.model_endpoint = e.name AND r.lease_token IS NOT NULL AND r.lease_expires_at > now() AND NOT r.slot_released
      ) OR e.tokens_per_minute <= (
        SELECT w.used FROM resource_windows w
        WHERE w.resource = 'endpoint:' || e.name AND w.scope = '*' AND w.window_start = date_trunc('minute', now())
      );
    v_eps := v_eps || v_full;
  END IF;

  RETURN QUERY
  WITH top AS (
    SELECT l.priority AS p FROM scheduling_lanes l
    WHERE l.runnable > 0 AND l.model_endpoint || '' <> ALL (v_eps) AND l.key <> ALL (p_skip_keys)
      AND (p_only IS NULL OR l.model_endpoint = p_only)
    ORDER BY l.priority DESC LIMIT 1
  ),
  expired AS (
    SELECT r.id FROM runs r
    WHERE r.lease_token IS NOT NULL AND r.lease_expires_at < now() AND r.state = 'running'
      AND r.model_endpoint || '' <> ALL (v_eps) AND r.id <> ALL (p_skip_ids) AND (p_only IS NULL OR r.model_endpoint = p_only)
    ORDER BY r.lease_expires_at LIMIT 1
  ),
  aged AS (
    SELECT a.id FROM (
      SELECT DISTINCT l.priority FROM scheduling_lanes l
      WHERE l.runnable > 0 AND l.priority < (SELECT p FROM top) AND l.model_endpoint || '' <> ALL (v_eps)
        AND (p_only IS NULL OR l.model_endpoint = p_only)
    ) c
    CROSS JOIN LATERAL (
      SELECT r.id, r.runnable_since FROM runs r
      WHERE r.state IN ('queued', 'running') AND r.lease_token IS NULL AND r.priority = c.priority
        AND r.model_endpoint || '' <> ALL (v_eps) AND r.id <> ALL (p_skip_ids) AND (p_only IS NULL OR r.model_endpoint = p_only)
      ORDER BY r.runnable_since LIMIT 1
    ) a
    WHERE a.runnable_since <= now() - p_ageing_ms * interval '1 millisecond'
    ORDER BY a.runnable_since LIMIT 1
  ),
  picked AS (
    SELECT l.key FROM scheduling_lanes l JOIN scheduling_keys k ON k.key = l.key
    WHERE l.runnable > 0 AND l.priority = (SELECT p FROM top)
      AND l.model_endpoint || '' <> ALL (v_eps) AND l.key <> ALL (p_skip_keys) AND (p_only IS NULL OR l.model_endpoint = p_only)
    ORDER BY k.vtime, l.key LIMIT 1
  ),
  keyed AS (
    SELECT r.id FROM runs r
    WHERE r.fair_group = (SELECT key FROM picked) AND r.priority = (SELECT p FROM top)
      AND r.state IN ('queued', 'running') AND r.lease_token IS NULL
      AND r.model_endpoint || '' <> ALL (v_eps) AND r.id <> ALL (p_skip_ids) AND (p_only IS NULL OR r.model_endpoint = p_only)
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

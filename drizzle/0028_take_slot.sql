-- Audit events written by the hot path's functions in their own statement: the rows exactly as
-- lib/audit/append.ts builds them for its INSERT (MAC and nonce computed by the writer), in order.
CREATE OR REPLACE FUNCTION flightdeck_append_audit(p_events jsonb) RETURNS void
LANGUAGE sql VOLATILE
AS $$
  INSERT INTO audit_events (ts, actor_kind, actor_id, actor_label, action, subject_type, subject_id, "authorization", payload, nonce, mac)
  SELECT (e->>'ts')::timestamptz, e->>'actorKind', e->>'actorId', e->>'actorLabel', e->>'action', e->>'subjectType',
    e->>'subjectId', e->'authorization', e->'payload', e->>'nonce', e->>'mac'
  FROM jsonb_array_elements(p_events) WITH ORDINALITY AS t(e, n)
  ORDER BY n
$$;--> statement-breakpoint
-- A claim's writes after it chose its run, in one round trip instead of six (lib/runtime/claim.ts,
-- takeLease): the endpoint's advisory lock and live-lease count (skipped when the caller already
-- checked, for an endpoint with a tokens-per-minute limit), the lease on the run (queued -> running,
-- or a new lease on a running run between turns or recovered), the NOTIFY of a run that became
-- running, the fair-share key's charge at its estimated cost, the turn row and the transaction's
-- audit events. Claims of one endpoint serialise on that lock until they commit, and claims and
-- checkpoints of one key on its row: every round trip after them lengthened the queue behind.
-- VOLATILE: each statement takes a fresh snapshot, so the count sees every claim committed before
-- the lock was granted. Returns no row when the endpoint is full; the caller marks the waits.
CREATE OR REPLACE FUNCTION flightdeck_take_slot(
  p_run_id text,
  p_from_state text,
  p_endpoint text,
  p_check_room boolean,
  p_worker text,
  p_lease_token text,
  p_lease_ms integer,
  p_attempt integer,
  p_turn_id text,
  p_min_turn_cost double precision,
  p_events jsonb
) RETURNS TABLE (estimate double precision, run runs)
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  v_max integer;
  v_live integer;
  v_run runs;
  v_estimate double precision;
BEGIN
  IF p_check_room THEN
    PERFORM pg_advisory_xact_lock(hashtext('flightdeck.endpoint:' || p_endpoint));
    SELECT max_concurrency INTO v_max FROM model_endpoints WHERE name = p_endpoint;
    IF v_max IS NOT NULL THEN
      SELECT count(*) INTO v_live FROM runs r
      WHERE r.model_endpoint = p_endpoint AND r.lease_token IS NOT NULL AND r.lease_expires_at > now()
        AND NOT r.slot_released;
      IF v_live >= v_max THEN
        RETURN;
      END IF;
    END IF;
  END IF;

  UPDATE runs r SET
    state = 'running',
    state_reason = NULL,
    waiting_for = CASE WHEN p_from_state = 'queued' THEN NULL ELSE r.waiting_for END,
    state_since = CASE WHEN p_from_state = 'queued' THEN clock_timestamp() ELSE r.state_since END,
    started_at = CASE WHEN p_from_state = 'queued' THEN coalesce(r.started_at, now()) ELSE r.started_at END,
    updated_at = now(),
    lease_token = p_lease_token,
    lease_owner = p_worker,
    -- Statement time: a claim that waited for the lock does not hand out a lease already old.
    lease_expires_at = clock_timestamp() + p_lease_ms * interval '1 millisecond',
    attempt = p_attempt,
    slot_released = false
  WHERE r.id = p_run_id AND r.state = p_from_state
  RETURNING r.* INTO v_run;
  IF v_run.id IS NULL THEN
    RAISE EXCEPTION 'run % is no longer %: its row lock was not held', p_run_id, p_from_state;
  END IF;
  IF p_from_state = 'queued' THEN
    PERFORM pg_notify('flightdeck_runs', p_run_id);
  END IF;

  -- The key pays the turn's estimated cost now (its average real cost, at least the minimum), so
  -- work in flight counts; the checkpoint corrects it to the real cost (flightdeck_checkpoint_tail).
  UPDATE scheduling_keys k
  SET vtime = k.vtime + greatest(p_min_turn_cost, coalesce(k.avg_cost, 0)) / k.weight, updated_at = now()
  WHERE k.key = v_run.fair_group
  RETURNING greatest(p_min_turn_cost, coalesce(k.avg_cost, 0)) INTO v_estimate;
  v_estimate := coalesce(v_estimate, p_min_turn_cost);

  -- runnable_since is left alone by taking the lease (the trigger stamps it only on becoming
  -- runnable); started_at is the wall clock: the previous turn's checkpoint committed before this
  -- row lock was granted, so turns of one run never appear to overlap.
  INSERT INTO turns (id, run_id, index, attempt, status, worker_id, messages_in, fair_key, estimated_cost, wait_ms, started_at)
  VALUES (
    p_turn_id, p_run_id, v_run.turns_used, p_attempt, 'running', p_worker, '[]'::jsonb, v_run.fair_group, v_estimate,
    greatest(0, (extract(epoch from clock_timestamp() - coalesce(v_run.runnable_since, v_run.created_at)) * 1000))::int,
    clock_timestamp()
  );

  PERFORM flightdeck_append_audit(p_events);

  estimate := v_estimate;
  run := v_run;
  RETURN NEXT;
END;
$$;
--> statement-breakpoint
-- The end of a completed turn's checkpoint, after its one UPDATE of the run (lib/runtime/checkpoint.ts):
-- the key is charged the turn's real cost instead of the estimate taken at claim (fair share),
-- the endpoint's advisory lock is tried when the caller would hand its slot over, and the transaction's
-- audit events are appended unless that lock was taken (the handoff's claim appends them with its own).
-- The run's UPDATE locked the key's row (its counters): everything after it is one round trip.
CREATE OR REPLACE FUNCTION flightdeck_checkpoint_tail(
  p_key text,
  p_estimate double precision,
  p_actual double precision,
  p_endpoint text,
  p_try_lock boolean,
  p_events jsonb
) RETURNS boolean
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  v_locked boolean := false;
BEGIN
  UPDATE scheduling_keys k
  SET vtime = k.vtime + (p_actual - p_estimate) / k.weight,
      avg_cost = CASE WHEN k.avg_cost IS NULL THEN p_actual ELSE k.avg_cost * 0.8 + p_actual * 0.2 END,
      updated_at = now()
  WHERE k.key = p_key;
  IF p_try_lock THEN
    v_locked := pg_try_advisory_xact_lock(hashtext('flightdeck.endpoint:' || p_endpoint));
  END IF;
  IF NOT v_locked THEN
    PERFORM flightdeck_append_audit(p_events);
  END IF;
  RETURN v_locked;
END;
$$;

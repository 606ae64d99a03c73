-- The checkpoint's tail also sends the run's NOTIFY (it was its own statement between the run's UPDATE and
-- the tail, while the key's counters row that UPDATE locked was held): a new first parameter, the run.
-- The six-parameter form of 0028 stays, an overload, for workers of the build before this one during a
-- rolling deploy (a dropped function would fail every completed turn of theirs); a later migration drops it.
CREATE OR REPLACE FUNCTION flightdeck_checkpoint_tail(
  p_run_id text,
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
  PERFORM pg_notify('flightdeck_runs', p_run_id);
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

-- Fair-share bookkeeping kept by the database (lib/scheduling, lib/runtime/claim-order.ts).
-- runs_runnable_since (BEFORE): stamps when a run becomes runnable (queued, or running
-- without a lease), for ageing and wait times.
-- runs_scheduling_counters (AFTER): keeps scheduling_keys.runnable/leased and
-- scheduling_lanes.runnable equal to the runs table, and lifts a key that becomes active
-- again to the least virtual time of the active keys (idle time banks no credit).
CREATE OR REPLACE FUNCTION runs_runnable_since() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.state IN ('queued', 'running') AND NEW.lease_token IS NULL THEN
    IF TG_OP = 'INSERT' OR NOT (OLD.state IN ('queued', 'running') AND OLD.lease_token IS NULL) THEN
      NEW.runnable_since := clock_timestamp();
    END IF;
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER runs_runnable_since
  BEFORE INSERT OR UPDATE OF state, lease_token ON runs
  FOR EACH ROW EXECUTE FUNCTION runs_runnable_since();--> statement-breakpoint
CREATE OR REPLACE FUNCTION scheduling_key_adjust(p_key text, p_weight double precision, d_runnable integer, d_leased integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  active_before integer;
BEGIN
  IF d_runnable = 0 AND d_leased = 0 THEN RETURN; END IF;
  SELECT runnable + leased INTO active_before FROM scheduling_keys WHERE key = p_key FOR UPDATE;
  IF NOT FOUND THEN
    -- A new key starts at the least virtual time of the active keys.
    INSERT INTO scheduling_keys AS k (key, weight, runnable, leased, vtime)
    VALUES (p_key, p_weight, greatest(d_runnable, 0), greatest(d_leased, 0),
            coalesce((SELECT min(s.vtime) FROM scheduling_keys s WHERE s.runnable + s.leased > 0), 0))
    ON CONFLICT (key) DO UPDATE SET runnable = k.runnable + d_runnable, leased = k.leased + d_leased, updated_at = now();
  ELSIF active_before = 0 AND d_runnable + d_leased > 0 THEN
    -- Active again: lifted to the least virtual time of the active keys (no banked credit).
    UPDATE scheduling_keys k SET
      runnable = k.runnable + d_runnable,
      leased = k.leased + d_leased,
      weight = CASE WHEN k.weight_source = 'admin' THEN k.weight ELSE p_weight END,
      vtime = greatest(k.vtime, coalesce(
        (SELECT min(s.vtime) FROM scheduling_keys s WHERE s.runnable + s.leased > 0 AND s.key <> p_key), k.vtime)),
      updated_at = now()
    WHERE k.key = p_key;
  ELSE
    -- The common path touches only this key's row.
    UPDATE scheduling_keys k SET
      runnable = k.runnable + d_runnable,
      leased = k.leased + d_leased,
      weight = CASE WHEN k.weight_source = 'admin' THEN k.weight ELSE p_weight END,
      updated_at = now()
    WHERE k.key = p_key;
  END IF;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION scheduling_lane_adjust(p_key text, p_priority integer, p_endpoint text, d integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF d = 0 THEN RETURN; END IF;
  INSERT INTO scheduling_lanes AS l (key, priority, model_endpoint, runnable)
  VALUES (p_key, p_priority, p_endpoint, greatest(d, 0))
  ON CONFLICT (key, priority, model_endpoint) DO UPDATE SET runnable = l.runnable + d;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION runs_scheduling_counters() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  o_r integer := 0; o_l integer := 0; n_r integer := 0; n_l integer := 0;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    o_r := CASE WHEN OLD.state IN ('queued', 'running') AND OLD.lease_token IS NULL THEN 1 ELSE 0 END;
    o_l := CASE WHEN OLD.state = 'running' AND OLD.lease_token IS NOT NULL THEN 1 ELSE 0 END;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    n_r := CASE WHEN NEW.state IN ('queued', 'running') AND NEW.lease_token IS NULL THEN 1 ELSE 0 END;
    n_l := CASE WHEN NEW.state = 'running' AND NEW.lease_token IS NOT NULL THEN 1 ELSE 0 END;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.fair_group = NEW.fair_group THEN
    PERFORM scheduling_key_adjust(NEW.fair_group, NEW.weight, n_r - o_r, n_l - o_l);
  ELSE
    IF TG_OP <> 'INSERT' THEN PERFORM scheduling_key_adjust(OLD.fair_group, OLD.weight, -o_r, -o_l); END IF;
    IF TG_OP <> 'DELETE' THEN PERFORM scheduling_key_adjust(NEW.fair_group, NEW.weight, n_r, n_l); END IF;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.fair_group = NEW.fair_group AND OLD.priority = NEW.priority AND OLD.model_endpoint = NEW.model_endpoint THEN
    PERFORM scheduling_lane_adjust(NEW.fair_group, NEW.priority, NEW.model_endpoint, n_r - o_r);
  ELSE
    IF TG_OP <> 'INSERT' THEN PERFORM scheduling_lane_adjust(OLD.fair_group, OLD.priority, OLD.model_endpoint, -o_r); END IF;
    IF TG_OP <> 'DELETE' THEN PERFORM scheduling_lane_adjust(NEW.fair_group, NEW.priority, NEW.model_endpoint, n_r); END IF;
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER runs_scheduling_counters
  AFTER INSERT OR DELETE OR UPDATE OF state, lease_token, fair_group, priority, model_endpoint ON runs
  FOR EACH ROW EXECUTE FUNCTION runs_scheduling_counters();--> statement-breakpoint
-- Existing runs: stamp and count them once.
UPDATE runs SET runnable_since = coalesce(updated_at, created_at)
  WHERE state IN ('queued', 'running') AND lease_token IS NULL;--> statement-breakpoint
INSERT INTO scheduling_keys (key, weight, runnable, leased)
  SELECT fair_group, max(weight),
    count(*) FILTER (WHERE lease_token IS NULL),
    count(*) FILTER (WHERE lease_token IS NOT NULL)
  FROM runs WHERE state IN ('queued', 'running') GROUP BY fair_group;--> statement-breakpoint
INSERT INTO scheduling_lanes (key, priority, model_endpoint, runnable)
  SELECT fair_group, priority, model_endpoint, count(*)
  FROM runs WHERE state IN ('queued', 'running') AND lease_token IS NULL
  GROUP BY fair_group, priority, model_endpoint;

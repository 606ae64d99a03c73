-- A key that becomes active again keeps up to one of its own average turns of credit: it is lifted to
-- the least virtual time of the active keys minus avg_cost / weight, not to that least virtual time
-- itself (0013). Lifted to the minimum, a returning key tied with the key it was lifted to and lost the
-- tie whenever that key's name sorted first, so a tenant with one run now and then waited for one or
-- more other keys' turns at every arrival: in the proof's contention test the trickle's median wait
-- under the burst was 50–54 ms against 12–13 ms alone (4 full PGlite runs, 2026-12-07). With the credit
-- it takes the next free slot, as a sparse flow does in FQ-CoDel (RFC 8290 §1.3, "new flows" are served
-- first for one quantum). The credit is bounded and earned: a key with no finished turn yet (avg_cost
-- null) gets none; a key keeps its own virtual time when that is higher (it was served recently); and
-- each return is worth at most one turn of precedence over 0013's lift, which the claim of that turn
-- charges back (at least avg_cost / weight): returning often puts a key one turn ahead at a time, never more.
-- Backlogged keys never become active again, so the bound between them is unchanged.
CREATE OR REPLACE FUNCTION scheduling_key_adjust(p_key text, p_weight double precision, d_runnable integer, d_leased integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  active_before integer;
BEGIN
  IF d_runnable = 0 AND d_leased = 0 THEN RETURN; END IF;
  SELECT runnable + leased INTO active_before FROM scheduling_keys WHERE key = p_key FOR UPDATE;
  IF NOT FOUND THEN
    -- A new key starts at the least virtual time of the active keys (no turn of its own yet: no credit).
    INSERT INTO scheduling_keys AS k (key, weight, runnable, leased, vtime)
    VALUES (p_key, p_weight, greatest(d_runnable, 0), greatest(d_leased, 0),
            coalesce((SELECT min(s.vtime) FROM scheduling_keys s WHERE s.runnable + s.leased > 0), 0))
    ON CONFLICT (key) DO UPDATE SET runnable = k.runnable + d_runnable, leased = k.leased + d_leased, updated_at = now();
  ELSIF active_before = 0 AND d_runnable + d_leased > 0 THEN
    -- Active again: lifted to one of its own average turns below the least virtual time of the active keys.
    UPDATE scheduling_keys k SET
      runnable = k.runnable + d_runnable,
      leased = k.leased + d_leased,
      weight = CASE WHEN k.weight_source = 'admin' THEN k.weight ELSE p_weight END,
      vtime = greatest(k.vtime, coalesce(
        (SELECT min(s.vtime) FROM scheduling_keys s WHERE s.runnable + s.leased > 0 AND s.key <> p_key)
          - coalesce(k.avg_cost, 0) / (CASE WHEN k.weight_source = 'admin' THEN k.weight ELSE p_weight END),
        k.vtime)),
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
$$;

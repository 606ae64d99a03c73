-- The fair-share counters (scheduling_keys.runnable/leased, scheduling_lanes.runnable) are kept at
-- COMMIT instead of at each UPDATE of a run. Kept at the UPDATE, the trigger locked the key's row from
-- a checkpoint's run UPDATE until its commit, across the round trips after it (the tail, and in a
-- handoff the pick and the next claim): under a burst of one key every other turn of that key queued
-- behind those round trips. In the proof's contention test on Postgres the checkpoint's run UPDATE
-- waited 13.1 ms a turn on average (pg_stat_statements), the largest part of the gap between turns.
-- Deferred, the row events fire in the commit itself, each with the OLD and NEW it was raised with, so
-- the counters end up the same; inside the transaction they show its state before its own run changes
-- (the claim's pick reads them only as a filter, and sees its own run's change from the next commit).
DROP TRIGGER IF EXISTS runs_scheduling_counters ON runs;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER runs_scheduling_counters
  AFTER INSERT OR DELETE OR UPDATE OF state, lease_token, fair_group, priority, model_endpoint ON runs
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION runs_scheduling_counters();

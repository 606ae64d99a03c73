-- An event's time must be one every reader can hold: a ts of ±infinity (or past the year 275760,
-- beyond a JavaScript date) inserted by any role that may insert made the sealer's batch query
-- fail on every tick, so nothing after it was ever sealed. Refused at the door like a missing MAC.
CREATE OR REPLACE FUNCTION audit_events_check_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.seq IS NOT NULL OR NEW.mac IS NULL OR NEW.nonce IS NULL THEN
    RAISE EXCEPTION 'audit_events: an event is inserted unsealed (seq null) with its nonce and MAC'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NOT isfinite(NEW.ts) OR NEW.ts >= timestamptz '275760-09-13 00:00:00+00' THEN
    RAISE EXCEPTION 'audit_events: ts % is not a time an event can have', NEW.ts
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;

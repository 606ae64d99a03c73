-- The search index also holds each event's id, so the explorer can take a common word's newest
-- matches in the order it lists events (id, newest first) from the index alone, instead of
-- reading back through every newer event (lib/audit/explorer/list.ts). The index is
-- derived from the sealed log: it is emptied here and the indexer rebuilds it (~20,000 events/s);
-- until it has, free text is matched by scanning the events not indexed yet, as before.
TRUNCATE audit_search;--> statement-breakpoint
ALTER TABLE "audit_search" ADD COLUMN "event_id" bigint NOT NULL;--> statement-breakpoint
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
    FROM audit_events e WHERE e.seq = NEW.seq;
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
$$;

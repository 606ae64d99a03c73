CREATE TABLE "audit_search" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"body" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "audit_search_body_trgm_idx" ON "audit_search" USING gin ("body" gin_trgm_ops);--> statement-breakpoint
-- An event's searchable text, spelled once: the indexer stores lower() of it, the explorer scans
-- events not indexed yet with ILIKE on it (lib/audit/search-index.ts). Inlined by the planner.
CREATE OR REPLACE FUNCTION audit_search_text(payload jsonb, actor_label text, subject_id text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT payload::text || E'\n' || actor_label || E'\n' || coalesce(subject_id, '')
$$;--> statement-breakpoint
-- The index may only hold the truth, in order: a row is the next seq after the highest indexed,
-- with the lowercased text of the sealed event of that seq. Without this an INSERT alone (the
-- application's role may insert) could hide events from free text: a forged high seq would stop
-- the indexer and the explorer's scan of the unindexed tail, a false body would unmatch a word.
-- Rows inserted earlier by the same statement are visible here, so a batch passes row by row.
CREATE OR REPLACE FUNCTION audit_search_check_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  expected text;
BEGIN
  IF NEW.seq IS DISTINCT FROM (SELECT coalesce(max(seq), 0) + 1 FROM audit_search) THEN
    RAISE EXCEPTION 'audit_search: seq % is not the next one to index', NEW.seq
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT lower(audit_search_text(e.payload, e.actor_label, e.subject_id)) INTO expected
    FROM audit_events e WHERE e.seq = NEW.seq;
  IF expected IS NULL OR NEW.body IS DISTINCT FROM expected THEN
    RAISE EXCEPTION 'audit_search: the text of seq % must be its sealed event''s', NEW.seq
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER audit_search_insert_check
  BEFORE INSERT ON audit_search
  FOR EACH ROW EXECUTE FUNCTION audit_search_check_insert();--> statement-breakpoint
ALTER TABLE audit_search ENABLE ALWAYS TRIGGER audit_search_insert_check;--> statement-breakpoint
-- The application's least-privilege role (0009): insert (through the check above) and read; no
-- UPDATE, DELETE or TRUNCATE. The owner rebuilds it with TRUNCATE (docs/OPERATIONS.md).
GRANT SELECT, INSERT ON audit_search TO flightdeck_app;

-- Substring search over runs (the command palette, the list view's words) reads every row without an index:
-- a trigram GIN index over one expression of the four searched fields serves ILIKE '%…%' (lib/board/search.ts
-- spells the same expression, db/schema/runs.ts runSearchText). pg_trgm is trusted (Postgres 13+), so a database
-- owner may create it; PGlite loads it at open (db/client.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "runs_search_trgm_idx" ON "runs" USING gin ((coalesce("title", '') || ' ' || "job_id" || ' ' || "fair_group" || ' ' || coalesce("input" ->> 'customer', '')) gin_trgm_ops);

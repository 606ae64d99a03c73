ALTER TABLE "runs" ADD COLUMN "title" text;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "outcome" text;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "state_since" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
-- Runs that exist already: the best known time of their last state change (a running run's updated_at moves with
-- every turn, so it keeps the migration's time; finished runs are the bulk and get their finish time).
UPDATE "runs" SET "state_since" = coalesce("finished_at", "updated_at") WHERE "state" <> 'running';

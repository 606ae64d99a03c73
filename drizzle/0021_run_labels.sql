ALTER TABLE "runs" ADD COLUMN "title" text;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "outcome" text;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "state_since" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
-- Runs that exist already: the best known time of their last state change.
UPDATE "runs" SET "state_since" = coalesce("finished_at", "updated_at") WHERE "state_since" IS NOT NULL;

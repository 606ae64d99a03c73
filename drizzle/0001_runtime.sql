CREATE TABLE "approvals" (
	"id" text PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"kind" text NOT NULL,
	"subject" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by_kind" text,
	"decided_by_id" text,
	"decided_by_label" text,
	"decided_at" timestamp with time zone,
	"note" text
);
--> statement-breakpoint
DROP INDEX "runs_claim_idx";--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "approvals_status_idx" ON "approvals" USING btree ("status","requested_at");--> statement-breakpoint
CREATE INDEX "approvals_run_idx" ON "approvals" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "runs_created_idx" ON "runs" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "runs_endpoint_lease_idx" ON "runs" USING btree ("model_endpoint","lease_expires_at") WHERE lease_token is not null;--> statement-breakpoint
CREATE INDEX "runs_retry_of_idx" ON "runs" USING btree ("retry_of");--> statement-breakpoint
CREATE INDEX "turns_run_idx" ON "turns" USING btree ("run_id","index");--> statement-breakpoint
CREATE INDEX "runs_claim_idx" ON "runs" USING btree ("priority" DESC NULLS LAST,"deadline","created_at") WHERE state in ('queued', 'running');
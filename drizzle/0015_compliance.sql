CREATE TABLE "audit_saved_queries" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"name" text NOT NULL,
	"query" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "run_purges" (
	"run_id" text PRIMARY KEY NOT NULL,
	"purged_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retention_days" jsonb NOT NULL,
	"removed" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_saved_queries" ADD CONSTRAINT "audit_saved_queries_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_purges" ADD CONSTRAINT "run_purges_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_saved_queries_user_idx" ON "audit_saved_queries" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "audit_events_payload_run_idx" ON "audit_events" USING btree (("payload" ->> 'runId'),"id") WHERE "audit_events"."payload" ? 'runId';--> statement-breakpoint
CREATE INDEX "audit_events_payload_job_idx" ON "audit_events" USING btree (("payload" ->> 'jobId'),"id") WHERE "audit_events"."payload" ? 'jobId';--> statement-breakpoint
CREATE INDEX "audit_events_payload_outcome_idx" ON "audit_events" USING btree (("payload" ->> 'outcome'),"id") WHERE "audit_events"."payload" ? 'outcome';
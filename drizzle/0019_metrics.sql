ALTER TABLE "api_tokens" ADD COLUMN "scope" text;--> statement-breakpoint
ALTER TABLE "turns" ADD COLUMN "model_ms" integer;--> statement-breakpoint
CREATE INDEX "runs_finished_idx" ON "runs" USING btree ("finished_at","id") WHERE finished_at is not null;--> statement-breakpoint
CREATE INDEX "turns_finished_idx" ON "turns" USING btree ("finished_at","id") WHERE finished_at is not null;--> statement-breakpoint
CREATE INDEX "tool_calls_finished_idx" ON "tool_calls" USING btree ("finished_at","key") WHERE finished_at is not null;
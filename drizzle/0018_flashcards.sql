CREATE TABLE "flashcard_decisions" (
	"id" text PRIMARY KEY NOT NULL,
	"card_id" text NOT NULL,
	"decision" text NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_id" text,
	"actor_label" text NOT NULL,
	"authorization" jsonb NOT NULL,
	"reason" text,
	"until" timestamp with time zone,
	"edited_input" jsonb,
	"diff" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "flashcards" (
	"id" text PRIMARY KEY NOT NULL,
	"fingerprint" text NOT NULL,
	"kind" text NOT NULL,
	"severity" text NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"title" text NOT NULL,
	"why" text NOT NULL,
	"run_id" text,
	"job_id" text,
	"entity" text,
	"approval_id" text,
	"evidence" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"count" integer DEFAULT 1 NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"snoozed_until" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"on_expiry" text,
	"approvals_required" integer DEFAULT 1 NOT NULL,
	"approvals_given" integer DEFAULT 0 NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by_label" text,
	"decision_reason" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_outbox" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"id" text NOT NULL,
	"event_type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_outbox_id_unique" UNIQUE("id")
);
--> statement-breakpoint
ALTER TABLE "approvals" ADD COLUMN "edited_input" jsonb;--> statement-breakpoint
ALTER TABLE "flashcard_decisions" ADD CONSTRAINT "flashcard_decisions_card_id_flashcards_id_fk" FOREIGN KEY ("card_id") REFERENCES "public"."flashcards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "flashcard_decisions_card_idx" ON "flashcard_decisions" USING btree ("card_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "flashcard_decisions_one_approval_uq" ON "flashcard_decisions" USING btree ("card_id","actor_kind","actor_id") WHERE decision = 'approve';--> statement-breakpoint
CREATE UNIQUE INDEX "flashcards_live_fingerprint_uq" ON "flashcards" USING btree ("fingerprint") WHERE state in ('open', 'snoozed');--> statement-breakpoint
CREATE UNIQUE INDEX "flashcards_approval_uq" ON "flashcards" USING btree ("approval_id") WHERE approval_id is not null;--> statement-breakpoint
CREATE INDEX "flashcards_state_idx" ON "flashcards" USING btree ("state","last_seen_at","id");--> statement-breakpoint
CREATE INDEX "flashcards_snoozed_idx" ON "flashcards" USING btree ("snoozed_until") WHERE state = 'snoozed';--> statement-breakpoint
CREATE INDEX "flashcards_expiry_idx" ON "flashcards" USING btree ("expires_at") WHERE state in ('open', 'snoozed') and expires_at is not null;--> statement-breakpoint
CREATE INDEX "flashcards_run_idx" ON "flashcards" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "flashcards_job_idx" ON "flashcards" USING btree ("job_id","state");--> statement-breakpoint
CREATE INDEX "webhook_outbox_due_idx" ON "webhook_outbox" USING btree ("next_attempt_at") WHERE delivered_at is null and failed_at is null;
CREATE TABLE "signal_waits" (
	"call_key" text PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"name" text NOT NULL,
	"match" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"payload" jsonb,
	"timeout_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "turn_journal" (
	"run_id" text NOT NULL,
	"turn_index" integer NOT NULL,
	"answer" jsonb NOT NULL,
	"attempt" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "turn_journal_run_id_turn_index_pk" PRIMARY KEY("run_id","turn_index")
);
--> statement-breakpoint
CREATE TABLE "workspace_blobs" (
	"sha256" text PRIMARY KEY NOT NULL,
	"content" "bytea" NOT NULL,
	"bytes" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workspace_files" (
	"run_id" text NOT NULL,
	"path" text NOT NULL,
	"sha256" text NOT NULL,
	"bytes" integer NOT NULL,
	"turn_index" integer,
	"written_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workspace_files_run_id_path_pk" PRIMARY KEY("run_id","path")
);
--> statement-breakpoint
CREATE TABLE "workspace_usage" (
	"run_id" text PRIMARY KEY NOT NULL,
	"bytes" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
DROP INDEX "runs_retry_of_idx";--> statement-breakpoint
ALTER TABLE "tool_calls" ADD COLUMN "input_hash" text;--> statement-breakpoint
ALTER TABLE "signal_waits" ADD CONSTRAINT "signal_waits_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "turn_journal" ADD CONSTRAINT "turn_journal_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspace_files" ADD CONSTRAINT "workspace_files_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspace_files" ADD CONSTRAINT "workspace_files_sha256_workspace_blobs_sha256_fk" FOREIGN KEY ("sha256") REFERENCES "public"."workspace_blobs"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspace_usage" ADD CONSTRAINT "workspace_usage_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "signal_waits_pending_idx" ON "signal_waits" USING btree ("name") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "signal_waits_timeout_idx" ON "signal_waits" USING btree ("timeout_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "workspace_files_blob_idx" ON "workspace_files" USING btree ("sha256");--> statement-breakpoint
CREATE UNIQUE INDEX "runs_retry_of_idx" ON "runs" USING btree ("retry_of");
CREATE TABLE "memory_entities" (
	"collection" text NOT NULL,
	"key" text NOT NULL,
	"value" jsonb,
	"version" integer NOT NULL,
	"updated_by_run" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "memory_entities_collection_key_pk" PRIMARY KEY("collection","key")
);
--> statement-breakpoint
CREATE TABLE "memory_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"collection" text NOT NULL,
	"key" text NOT NULL,
	"version" integer NOT NULL,
	"kind" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"run_id" text,
	"job_id" text,
	"job_version" text,
	"turn_index" integer,
	"call_index" integer,
	"tool_call_key" text,
	"actor_kind" text NOT NULL,
	"actor_id" text,
	"actor_label" text NOT NULL,
	"authorization" jsonb NOT NULL,
	"reverts_run" text,
	"at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "memory_locks" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"entity" text NOT NULL,
	"run_id" text NOT NULL,
	"mode" text NOT NULL,
	"status" text NOT NULL,
	"refusal" text,
	"requested_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	"granted_at" timestamp with time zone,
	"timeout_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "memory_locks" ADD CONSTRAINT "memory_locks_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "memory_history_entity_version" ON "memory_history" USING btree ("collection","key","version");--> statement-breakpoint
CREATE INDEX "memory_history_run_idx" ON "memory_history" USING btree ("run_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "memory_locks_entity_run" ON "memory_locks" USING btree ("entity","run_id");--> statement-breakpoint
CREATE INDEX "memory_locks_entity_idx" ON "memory_locks" USING btree ("entity","seq");--> statement-breakpoint
CREATE INDEX "memory_locks_run_idx" ON "memory_locks" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "memory_locks_waiting_idx" ON "memory_locks" USING btree ("timeout_at") WHERE status = 'waiting';
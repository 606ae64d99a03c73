CREATE TABLE "resource_windows" (
	"resource" text NOT NULL,
	"scope" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"used" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "resource_windows_resource_scope_window_start_pk" PRIMARY KEY("resource","scope","window_start")
);
--> statement-breakpoint
CREATE TABLE "scheduling_keys" (
	"key" text PRIMARY KEY NOT NULL,
	"weight" double precision DEFAULT 1 NOT NULL,
	"weight_source" text DEFAULT 'declaration' NOT NULL,
	"vtime" double precision DEFAULT 0 NOT NULL,
	"avg_cost" double precision,
	"runnable" integer DEFAULT 0 NOT NULL,
	"leased" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scheduling_lanes" (
	"key" text NOT NULL,
	"priority" integer NOT NULL,
	"model_endpoint" text NOT NULL,
	"runnable" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "scheduling_lanes_key_priority_model_endpoint_pk" PRIMARY KEY("key","priority","model_endpoint")
);
--> statement-breakpoint
DROP INDEX "runs_claim_idx";--> statement-breakpoint
ALTER TABLE "model_endpoints" ADD COLUMN "tokens_per_minute" integer;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "runnable_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "slot_released" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "turns" ADD COLUMN "fair_key" text;--> statement-breakpoint
ALTER TABLE "turns" ADD COLUMN "estimated_cost" double precision;--> statement-breakpoint
ALTER TABLE "turns" ADD COLUMN "cost" double precision;--> statement-breakpoint
ALTER TABLE "turns" ADD COLUMN "wait_ms" integer;--> statement-breakpoint
CREATE INDEX "scheduling_keys_active_idx" ON "scheduling_keys" USING btree ("vtime") WHERE runnable + leased > 0;--> statement-breakpoint
CREATE INDEX "scheduling_lanes_top_idx" ON "scheduling_lanes" USING btree ("priority" DESC NULLS LAST,"key") WHERE runnable > 0;--> statement-breakpoint
CREATE INDEX "runs_key_claim_idx" ON "runs" USING btree ("fair_group","priority","deadline","created_at") WHERE state in ('queued', 'running') and lease_token is null;--> statement-breakpoint
CREATE INDEX "runs_ageing_idx" ON "runs" USING btree ("priority","runnable_since") WHERE state in ('queued', 'running') and lease_token is null;--> statement-breakpoint
CREATE INDEX "runs_lease_expiry_idx" ON "runs" USING btree ("lease_expires_at") WHERE lease_token is not null;--> statement-breakpoint
CREATE INDEX "turns_started_idx" ON "turns" USING btree ("started_at");
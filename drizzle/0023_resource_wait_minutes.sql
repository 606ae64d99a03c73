CREATE TABLE "resource_wait_minutes" (
	"resource" text NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"waits" integer DEFAULT 0 NOT NULL,
	"wait_ms" bigint DEFAULT 0 NOT NULL,
	"max_wait_ms" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "resource_wait_minutes_resource_minute_pk" PRIMARY KEY("resource","minute")
);
--> statement-breakpoint
CREATE INDEX "resource_wait_minutes_minute_idx" ON "resource_wait_minutes" USING btree ("minute");
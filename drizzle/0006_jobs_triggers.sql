ALTER TABLE "jobs" ADD COLUMN "schedule_since" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "signal_deliveries" ADD COLUMN "payload_hash" text NOT NULL;
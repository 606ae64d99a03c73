CREATE TABLE "audit_search" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"body" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "audit_search_body_trgm_idx" ON "audit_search" USING gin ("body" gin_trgm_ops);--> statement-breakpoint
-- The application's least-privilege role (0009): the search index is insert-only for it, like the log it mirrors.
GRANT SELECT, INSERT ON audit_search TO flightdeck_app;

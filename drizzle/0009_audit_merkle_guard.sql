-- The Merkle audit log's guards (docs/SECURITY.md). Every trigger is ENABLE ALWAYS, so
-- it also fires under session_replication_role = replica.
--
-- audit_events: INSERT only with seq unset and a MAC; UPDATE only the sealer's one
-- transition (seq from null to a value, every other column unchanged); no DELETE or TRUNCATE.
CREATE OR REPLACE FUNCTION audit_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- Every column but seq is compared (a test checks this list against the table).
  IF TG_OP = 'UPDATE'
     AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
     AND (NEW.id, NEW.ts, NEW.actor_kind, NEW.actor_id, NEW.actor_label, NEW.action, NEW.subject_type,
          NEW.subject_id, NEW."authorization", NEW.payload, NEW.nonce, NEW.mac, NEW.prev_hash, NEW.hash)
         IS NOT DISTINCT FROM
         (OLD.id, OLD.ts, OLD.actor_kind, OLD.actor_id, OLD.actor_label, OLD.action, OLD.subject_type,
          OLD.subject_id, OLD."authorization", OLD.payload, OLD.nonce, OLD.mac, OLD.prev_hash, OLD.hash) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Audit events can only be inserted; the sealer sets seq once.';
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_events_check_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.seq IS NOT NULL OR NEW.mac IS NULL OR NEW.nonce IS NULL THEN
    RAISE EXCEPTION 'audit_events: an event is inserted unsealed (seq null) with its nonce and MAC'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER audit_events_insert_check
  BEFORE INSERT ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_check_insert();--> statement-breakpoint
ALTER TABLE audit_events ENABLE ALWAYS TRIGGER audit_events_insert_check;--> statement-breakpoint
-- The tree, its checkpoints and the rejections only grow.
CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER audit_tree_nodes_no_change BEFORE UPDATE OR DELETE ON audit_tree_nodes
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();--> statement-breakpoint
CREATE TRIGGER audit_tree_nodes_no_truncate BEFORE TRUNCATE ON audit_tree_nodes
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();--> statement-breakpoint
CREATE TRIGGER audit_checkpoints_no_change BEFORE UPDATE OR DELETE ON audit_checkpoints
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();--> statement-breakpoint
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();--> statement-breakpoint
CREATE TRIGGER audit_rejections_no_change BEFORE UPDATE OR DELETE ON audit_rejections
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();--> statement-breakpoint
CREATE TRIGGER audit_rejections_no_truncate BEFORE TRUNCATE ON audit_rejections
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();--> statement-breakpoint
ALTER TABLE audit_tree_nodes ENABLE ALWAYS TRIGGER audit_tree_nodes_no_change;--> statement-breakpoint
ALTER TABLE audit_tree_nodes ENABLE ALWAYS TRIGGER audit_tree_nodes_no_truncate;--> statement-breakpoint
ALTER TABLE audit_checkpoints ENABLE ALWAYS TRIGGER audit_checkpoints_no_change;--> statement-breakpoint
ALTER TABLE audit_checkpoints ENABLE ALWAYS TRIGGER audit_checkpoints_no_truncate;--> statement-breakpoint
ALTER TABLE audit_rejections ENABLE ALWAYS TRIGGER audit_rejections_no_change;--> statement-breakpoint
ALTER TABLE audit_rejections ENABLE ALWAYS TRIGGER audit_rejections_no_truncate;--> statement-breakpoint
-- A least-privilege role for the running application (docs/SECURITY.md): everything it
-- needs on the operational tables, but on the audit tables only INSERT and SELECT (plus
-- UPDATE of seq, which the guard narrows to the sealer's one transition). It owns
-- nothing, so it cannot disable a trigger or drop a table. NOLOGIN: grant it to the
-- login role the application connects with. Migrations run as the owner.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flightdeck_app') THEN
    CREATE ROLE flightdeck_app NOLOGIN;
  END IF;
EXCEPTION
  -- roles are cluster-wide: another database's migration may create it at the same moment
  WHEN duplicate_object OR unique_violation THEN NULL;
END;
$$;--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO flightdeck_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO flightdeck_app;--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO flightdeck_app;--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events, audit_tree_nodes, audit_checkpoints, audit_rejections FROM flightdeck_app;--> statement-breakpoint
GRANT UPDATE (seq) ON audit_events TO flightdeck_app;--> statement-breakpoint
GRANT USAGE ON SCHEMA drizzle TO flightdeck_app;--> statement-breakpoint
GRANT SELECT ON ALL TABLES IN SCHEMA drizzle TO flightdeck_app;

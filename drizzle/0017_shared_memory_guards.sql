-- memory_history is the provenance of shared memory: append-only, like audit_events. A revert
-- is a new row, never an edit. ENABLE ALWAYS keeps the triggers under replication role too.
CREATE OR REPLACE FUNCTION memory_history_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'memory_history is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Provenance rows can only be inserted; a revert is a new write.';
END;
$$;--> statement-breakpoint
CREATE TRIGGER memory_history_no_update_delete
  BEFORE UPDATE OR DELETE ON memory_history
  FOR EACH ROW EXECUTE FUNCTION memory_history_refuse_change();--> statement-breakpoint
CREATE TRIGGER memory_history_no_truncate
  BEFORE TRUNCATE ON memory_history
  FOR EACH STATEMENT EXECUTE FUNCTION memory_history_refuse_change();--> statement-breakpoint
ALTER TABLE memory_history ENABLE ALWAYS TRIGGER memory_history_no_update_delete;--> statement-breakpoint
ALTER TABLE memory_history ENABLE ALWAYS TRIGGER memory_history_no_truncate;
--> statement-breakpoint
-- The application's least-privilege role (0009): shared memory as it needs it — history insert-only.
GRANT SELECT, INSERT, UPDATE, DELETE ON memory_entities, memory_locks TO flightdeck_app;--> statement-breakpoint
GRANT SELECT, INSERT ON memory_history TO flightdeck_app;--> statement-breakpoint
GRANT USAGE, SELECT ON SEQUENCE memory_history_id_seq, memory_locks_seq_seq TO flightdeck_app;

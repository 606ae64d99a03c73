import { bigint, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { runs } from "./runs";

/**
 * A run's key-value state namespace (state_get / state_set). Keyed by run, so no run
 * can name another run's keys: isolation is the primary key, not a convention.
 */
export const runState = pgTable(
  "run_state",
  {
    runId: text("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    value: jsonb("value").$type<unknown>().notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.key] })],
);

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
  toDriver: (value) => value,
});

/** File contents, content-addressed (SHA-256): the same bytes are stored once. */
export const workspaceBlobs = pgTable("workspace_blobs", {
  sha256: text("sha256").primaryKey(),
  content: bytea("content").notNull(),
  bytes: integer("bytes").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A run's workspace: one row per regular file, keyed by run and normalised path. Files live
 * in the database, so every host sees them and no link, FIFO or device can exist in a
 * workspace. Directories are implied by paths.
 */
export const workspaceFiles = pgTable(
  "workspace_files",
  {
    runId: text("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    path: text("path").notNull(),
    sha256: text("sha256")
      .notNull()
      .references(() => workspaceBlobs.sha256),
    bytes: integer("bytes").notNull(),
    /** The turn that last wrote the file (null: written outside a turn). */
    turnIndex: integer("turn_index"),
    writtenAt: timestamp("written_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.path] }), index("workspace_files_blob_idx").on(t.sha256)],
);

/** Bytes held per run, kept by every write and delete (the quota check reads one row). */
export const workspaceUsage = pgTable("workspace_usage", {
  runId: text("run_id")
    .primaryKey()
    .references(() => runs.id, { onDelete: "cascade" }),
  bytes: bigint("bytes", { mode: "number" }).notNull().default(0),
});

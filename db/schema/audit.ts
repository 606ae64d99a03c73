import { sql } from "drizzle-orm";
import {
  bigint,
  customType,
  index,
  jsonb,
  pgTable,
  pgView,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/**
 * The audit log (lib/audit, docs/SECURITY.md). Writers insert events in their own
 * transactions and without any shared lock; each carries a MAC only the application can
 * compute. The sealer (one at a time across instances) gives each the next gapless `seq`
 * by inserting a row into audit_seqs (never by updating the event: that rewrote a wide row
 * into every index, the sealer's largest cost), appends the event as a leaf of an RFC 6962
 * Merkle tree whose complete subtrees it stores in audit_tree_nodes, and signs a checkpoint.
 * Triggers in custom migrations refuse UPDATE, DELETE and TRUNCATE on every audit table,
 * also in replica mode. prev_hash/hash are the pre-Merkle chain, kept for old events.
 * Readers that need an event's seq read the view audit_log (auditLog below).
 */
export const actorKinds = ["user", "token", "run", "system", "anonymous"] as const;
export type ActorKind = (typeof actorKinds)[number];

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/** An event's recorded content: the columns of audit_events after its id, and of the view audit_log after its seq. */
const eventContent = () => ({
  ts: timestamp("ts", { withTimezone: true, precision: 3 }).notNull(),
  actorKind: text("actor_kind", { enum: actorKinds }).notNull(),
  actorId: text("actor_id"),
  actorLabel: text("actor_label").notNull(),
  action: text("action").notNull(),
  subjectType: text("subject_type").notNull(),
  subjectId: text("subject_id"),
  /** What the actor acted under: a role, a token, a job's authorization, a policy rule. */
  authorization: jsonb("authorization").$type<Record<string, unknown>>().notNull(),
  payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
  /** Random per event, covered by the MAC, so a copied row is refused. */
  nonce: text("nonce"),
  /** HMAC-SHA-256 (base64) by the writer; null only on events from before the Merkle log. */
  mac: text("mac"),
  prevHash: text("prev_hash"),
  hash: text("hash"),
});

export const auditEvents = pgTable(
  "audit_events",
  {
    /** Insertion order (gaps on rollback); the explorer pages on it. */
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    ...eventContent(),
  },
  // Filter columns lead and id follows, so the explorer's "newest first, page by id"
  // reads one index range per filter instead of sorting every match.
  (t) => [
    uniqueIndex("audit_events_mac_idx").on(t.mac),
    index("audit_events_ts_idx").on(t.ts),
    index("audit_events_subject_idx").on(t.subjectType, t.subjectId, t.id),
    index("audit_events_action_idx").on(t.action, t.id),
    index("audit_events_actor_idx").on(t.actorKind, t.actorId, t.id),
    // The explorer's run:, job: and outcome: keys (lib/audit/explorer): partial, so events without the key cost nothing.
    index("audit_events_payload_run_idx")
      .on(sql`(${t.payload} ->> 'runId')`, t.id)
      .where(sql`${t.payload} ? 'runId'`),
    index("audit_events_payload_job_idx")
      .on(sql`(${t.payload} ->> 'jobId')`, t.id)
      .where(sql`${t.payload} ? 'jobId'`),
    index("audit_events_payload_outcome_idx")
      .on(sql`(${t.payload} ->> 'outcome')`, t.id)
      .where(sql`${t.payload} ? 'outcome'`),
  ],
);

/**
 * Each sealed event's seq (leaf index + 1), written once by the sealer and never changed:
 * a narrow insert-only row instead of an UPDATE of the event. The pre-Merkle chain's
 * events have theirs from migration 0033.
 */
export const auditSeqs = pgTable(
  "audit_seqs",
  {
    seq: bigint("seq", { mode: "number" }).primaryKey(),
    eventId: bigint("event_id", { mode: "number" }).notNull(),
  },
  (t) => [uniqueIndex("audit_seqs_event_idx").on(t.eventId)],
);

/**
 * Every event with its seq, null while unsealed: `audit_events left join audit_seqs`
 * (drizzle/0033). A filter on seq makes it an inner join the planner drives from
 * audit_seqs' primary key; a filter on the event's columns reads audit_events' indexes
 * and looks each seq up by event id.
 */
export const auditLog = pgView("audit_log", {
  id: bigint("id", { mode: "number" }).notNull(),
  seq: bigint("seq", { mode: "number" }),
  ...eventContent(),
}).existing();

/** Hashes of the complete subtrees of the Merkle tree: (level, index) as Trillian names them. Level 0 holds leaf hashes. */
export const auditTreeNodes = pgTable(
  "audit_tree_nodes",
  {
    level: smallint("level").notNull(),
    idx: bigint("idx", { mode: "number" }).notNull(),
    hash: bytea("hash").notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.idx] })],
);

/** One signed checkpoint per sealed batch; `note` is the C2SP signed note. */
export const auditCheckpoints = pgTable("audit_checkpoints", {
  treeSize: bigint("tree_size", { mode: "number" }).primaryKey(),
  rootHash: bytea("root_hash").notNull(),
  ts: timestamp("ts", { withTimezone: true, precision: 3 }).notNull(),
  note: text("note").notNull(),
  /**
   * The sealer's floor when it wrote this checkpoint: every event with an id up to it is sealed,
   * refused, or was never committed (lib/audit/seal-floor.ts). Bookkeeping, not signed.
   */
  floorId: bigint("floor_id", { mode: "number" }).notNull(),
});

/** Events the sealer refused (their MAC does not verify); they are never sealed. */
export const auditRejections = pgTable("audit_rejections", {
  eventId: bigint("event_id", { mode: "number" }).primaryKey(),
  reason: text("reason").notNull(),
  ts: timestamp("ts", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});

/**
 * The explorer's free-text index: each sealed event's searchable text, lowercased, under a
 * trigram GIN index, so a rare word is found without reading the whole log. An insert
 * trigger (drizzle/0024, 0026) admits only the next seq with its sealed event's id and text. A table of its own because
 * a trigram index on audit_events would cost every writer, and every seal again (sealing
 * sets seq, so the row's new version re-enters every index). Filled in seq order after
 * sealing by lib/audit/search-index.ts; derived from the log and rebuildable from it.
 */
export const auditSearch = pgTable(
  "audit_search",
  {
    seq: bigint("seq", { mode: "number" }).primaryKey(),
    // The event's id: the explorer lists by id, so a common word's newest matches are sorted from here.
    eventId: bigint("event_id", { mode: "number" }).notNull(),
    body: text("body").notNull(),
  },
  (t) => [index("audit_search_body_trgm_idx").using("gin", sql`${t.body} gin_trgm_ops`)],
);

import { bigint, index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Append-only, hash-chained audit log. `seq` is assigned under a transaction-scoped
 * advisory lock (never a SEQUENCE, which leaves gaps on rollback). Triggers added in a
 * custom migration refuse UPDATE, DELETE and TRUNCATE, even in replica mode.
 */
export const actorKinds = ["user", "token", "run", "system", "anonymous"] as const;
export type ActorKind = (typeof actorKinds)[number];

export const auditEvents = pgTable(
  "audit_events",
  {
    seq: bigint("seq", { mode: "number" }).primaryKey(),
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
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  // Filter columns lead and seq follows, so the explorer's "newest first, page by seq"
  // reads one index range per filter instead of sorting every match.
  (t) => [
    index("audit_events_ts_idx").on(t.ts),
    index("audit_events_subject_idx").on(t.subjectType, t.subjectId, t.seq),
    index("audit_events_action_idx").on(t.action, t.seq),
    index("audit_events_actor_idx").on(t.actorKind, t.actorId, t.seq),
  ],
);

import { index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { runs } from "./runs";

export const approvalKinds = ["run", "tool"] as const;
export type ApprovalKind = (typeof approvalKinds)[number];
/** withdrawn: the run ended (cancelled, failed…) before anyone decided. */
export const approvalStatuses = ["pending", "approved", "rejected", "withdrawn"] as const;
export type ApprovalStatus = (typeof approvalStatuses)[number];

/**
 * A human decision a run waits for: approving the run itself (humanOversight
 * "approve-run") or one tool call (kind "tool", subject = tool name + call key).
 */
export const approvals = pgTable(
  "approvals",
  {
    id: text("id").primaryKey(),
    runId: text("run_id")
      .notNull()
      .references(() => runs.id),
    kind: text("kind", { enum: approvalKinds }).notNull(),
    subject: text("subject").notNull(),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    status: text("status", { enum: approvalStatuses }).notNull().default("pending"),
    requestedAt: timestamp("requested_at", { withTimezone: true }).notNull().defaultNow(),
    decidedByKind: text("decided_by_kind"),
    decidedById: text("decided_by_id"),
    decidedByLabel: text("decided_by_label"),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    note: text("note"),
    /** Edit-then-approve: the arguments the approver set instead of the model's (validated against the tool's schema). */
    editedInput: jsonb("edited_input").$type<unknown>(),
  },
  (t) => [index("approvals_status_idx").on(t.status, t.requestedAt), index("approvals_run_idx").on(t.runId)],
);

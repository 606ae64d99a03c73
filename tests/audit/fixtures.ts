import { getDb } from "@/db/client";
import { appendAudit, type AuditInput } from "@/lib/audit";

/** A typical event for tests; override what a case cares about. */
export function sampleAuditInput(overrides: Partial<AuditInput> = {}): AuditInput {
  return {
    actor: { kind: "user", id: "u1", label: "admin@flightdeck.local" },
    action: "user.role_changed",
    subject: { type: "user", id: "u2" },
    authorization: { role: "admin", via: "session" },
    payload: { from: "operator", to: "lead" },
    ...overrides,
  };
}

/** Appends one event in its own transaction on the process database (tests have no other change to attach it to). */
export async function recordAudit(input: AuditInput): Promise<void> {
  const db = await getDb();
  await db.transaction((tx) => appendAudit(tx, input));
}

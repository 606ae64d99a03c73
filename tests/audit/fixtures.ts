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

/** The driver wraps the database error; the trigger's message is somewhere in the chain. */
export async function refusal(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    const messages: string[] = [];
    for (let e: unknown = error; e instanceof Error; e = e.cause) messages.push(e.message);
    return messages.join(" | ");
  }
  throw new Error("expected the database to refuse");
}

import type { AuditInput } from "./types";

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

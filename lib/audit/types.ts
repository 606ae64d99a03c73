import type { ActorKind } from "@/db/schema";

/** What a caller supplies; seq, ts, prevHash and hash are assigned by appendAudit. */
export interface AuditInput {
  actor: { kind: ActorKind; id: string | null; label: string };
  action: string;
  subject: { type: string; id: string | null };
  /** The authority the actor acted under, e.g. { role: "operator", via: "session" }. */
  authorization: Record<string, unknown>;
  payload?: Record<string, unknown>;
}

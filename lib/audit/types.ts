import type { ActorKind } from "@/db/schema";

/** What a caller supplies; seq, ts, prevHash and hash are assigned by appendAudit. */
export interface AuditInput {
  actor: { kind: ActorKind; id: string | null; label: string };
  action: string;
  subject: { type: string; id: string | null };
  /**
   * The authority the actor acted under, e.g. { role: "operator", via: "session" }. The log
   * stores any JSON object; the platform builds it as an `Authorization` (lib/audit/actors.ts).
   */
  authorization: Record<string, unknown>;
  payload?: Record<string, unknown>;
}

/** An event as stored and as the API answers it. */
export interface AuditEvent {
  seq: number;
  /** ISO 8601 with milliseconds, UTC. */
  ts: string;
  actor: { kind: ActorKind; id: string | null; label: string };
  action: string;
  subject: { type: string; id: string | null };
  authorization: Record<string, unknown>;
  payload: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** The newest event, or seq 0 with the genesis hash on an empty log. */
export interface AuditHead {
  seq: number;
  hash: string;
  ts: string | null;
}

export interface AuditVerifyResult {
  ok: boolean;
  /** Events found intact before the first problem (all of them when ok). */
  checked: number;
  /** The first sequence number that is missing or whose content or link is wrong. */
  firstBadSeq: number | null;
  /** Why firstBadSeq is bad: the row is missing, its prev_hash link is broken, or its hash does not match. */
  problem: "gap" | "link" | "hash" | null;
}

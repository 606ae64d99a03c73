import type { ActorKind } from "@/db/schema";

/** What a caller supplies; id, seq, ts, nonce and MAC are assigned when it is recorded. */
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

/** What a leaf and a MAC cover besides seq / nonce. */
export interface AuditEventContent {
  /** ISO 8601 with milliseconds, UTC. */
  ts: string;
  actor: { kind: ActorKind; id: string | null; label: string };
  action: string;
  subject: { type: string; id: string | null };
  authorization: Record<string, unknown>;
  payload: Record<string, unknown>;
}

/** An event as stored and as the API answers it. */
export interface AuditEvent extends AuditEventContent {
  /** Insertion order; stable before and after sealing. */
  id: number;
  /** Position in the Merkle log (leaf index + 1); null until the sealer integrates it. */
  seq: number | null;
  sealed: boolean;
}

/** The latest signed checkpoint, or size 0 before anything is sealed. */
export interface AuditHead {
  treeSize: number;
  /** base64 */
  rootHash: string;
  ts: string | null;
}

export interface AuditVerifyResult {
  ok: boolean;
  /** Sealed events found intact before the first problem (all of them when ok). */
  checked: number;
  /** The first sequence number that is missing, altered, or no longer matches a signed or anchored checkpoint. */
  firstBadSeq: number | null;
  /**
   * Why firstBadSeq is bad: gap (missing row), mac (content changed or forged), link/hash
   * (a pre-Merkle chained event changed), checkpoint (a stored checkpoint's root or
   * signature does not match), anchor (an anchored checkpoint is not a prefix of the log).
   */
  problem: "gap" | "mac" | "link" | "hash" | "checkpoint" | "signature" | "anchor" | null;
  /** Size of the newest stored checkpoint. */
  treeSize: number;
  /** Anchored checkpoints compared with the recomputed tree. */
  anchorsChecked: number;
  /** Unsealed events whose MAC fails (ids), refused or not yet seen by the sealer. */
  badUnsealedIds: number[];
  /** Unsealed events waiting for the sealer. */
  unsealed: number;
}

import "server-only";
import type { Queryable } from "@/db/client";
import { auditKeys, inclusionProof, latestCheckpoint } from "@/lib/audit";
import { auditEventBySeq } from "@/lib/audit/proofs";
import { verifierKey } from "@/lib/audit/note";
import { leafFields, verifyEventInBrowser } from "@/lib/proof-check";

export interface InclusionCheck {
  seq: number;
  ok: boolean;
  /** The verifier's own words (the same check the audit explorer runs in the browser). */
  message: string;
}

/** The signed checkpoint and the verifier key, read once for many checks. */
export async function proofContext(db: Queryable): Promise<{ note: string; key: string } | null> {
  const head = await latestCheckpoint(db);
  if (!head) return null;
  const keys = auditKeys();
  return { note: head.note, key: verifierKey(keys.origin, keys.publicKey) };
}

/**
 * Checks event `seq` the way the explorer's drawer does: its fields rebuild the sealed leaf,
 * the RFC 9162 inclusion proof leads to the root of the latest checkpoint, and that
 * checkpoint's Ed25519 signature verifies with the log's key.
 */
export async function checkInclusion(
  db: Queryable,
  seq: number,
  context: { note: string; key: string },
): Promise<InclusionCheck> {
  const event = await auditEventBySeq(db, seq);
  if (!event?.canonical) return { seq, ok: false, message: `event #${seq} not found or not sealed` };
  const proof = await inclusionProof(db, seq);
  const result = await verifyEventInBrowser({
    seq,
    canonical: event.canonical,
    fields: leafFields(event),
    proof,
    checkpointNote: context.note,
    verifierKey: context.key,
  });
  return { seq, ok: result.ok, message: result.message };
}

import "server-only";
import type { ActorKind } from "@/db/schema";

/**
 * A sealed event as verify reads it: raw SQL, because drizzle's per-column result mapping
 * cost about a tenth of a verify's CPU. ts comes back as epoch milliseconds so the ISO
 * string that was MACed is rebuilt exactly; ids and seqs are bigint (strings from pg,
 * numbers or bigints from PGlite), turned into numbers by the reader of the row.
 */
export interface SealedRow {
  seq: number | string | bigint;
  /** Null when ts is not finite. */
  ts_ms: number | string | bigint | null;
  actor_kind: ActorKind;
  actor_id: string | null;
  actor_label: string;
  action: string;
  subject_type: string;
  subject_id: string | null;
  authorization: Record<string, unknown>;
  payload: Record<string, unknown>;
  nonce: string | null;
  mac: string | null;
  prev_hash: string | null;
  hash: string | null;
}

/**
 * The columns of a SealedRow; callers add the seq range. A ts of ±infinity (only a
 * tamperer writes one) comes back as a null ts_ms instead of failing the whole query, so
 * verify names that seq. Plain text without drizzle so
 * verify's range threads (verify-chunk-thread.ts) query with pg alone and start faster.
 */
export const SEALED_ROW_SELECT = `select seq, case when isfinite(ts) then (extract(epoch from ts) * 1000)::bigint end as ts_ms, actor_kind, actor_id,
  actor_label, action, subject_type, subject_id, "authorization", payload, nonce, mac, prev_hash, hash
  from audit_log`;

import "server-only";
import { csvCell } from "@/lib/utils";
import type { AuditEvent } from "../types";

export const CSV_COLUMNS = [
  "id",
  "seq",
  "ts",
  "actor_kind",
  "actor_id",
  "actor_label",
  "action",
  "subject_type",
  "subject_id",
  "authorization",
  "payload",
] as const;

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(",")}\r\n`;
}

export function csvLine(e: AuditEvent): string {
  return `${[e.id, e.seq, e.ts, e.actor.kind, e.actor.id, e.actor.label, e.action, e.subject.type, e.subject.id, e.authorization, e.payload].map(csvCell).join(",")}\r\n`;
}

export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

export const BUNDLE_FORMAT = "flightdeck-audit-bundle";

export const BUNDLE_README = [
  'Flightdeck audit evidence bundle (JSON Lines, one object per line, each with a "type").',
  "header: origin, the query, exportedAt, number of events, treeSize (the checkpoint the proofs are against) and latestTreeSize.",
  "verifier-key: the log's Ed25519 note verifier key (C2SP signed-note form: <name>+<hex key hash>+<base64 key>). Compare it with one you obtained independently (GET /api/audit/verifier-key, or your anchor).",
  "checkpoint (role proofs): the signed C2SP tlog-checkpoint of size treeSize; checkpoint (role latest): the latest signed checkpoint at export time.",
  "consistency: RFC 9162 consistency proof from treeSize to latestTreeSize (the log only grew since).",
  "event: seq, leaf (the exact RFC 8785 canonical JSON hashed as the Merkle leaf), event (the same fields, readable) and inclusion (RFC 9162 audit path, base64) against the proofs checkpoint.",
  "end: the number of events written (a truncated bundle is refused).",
  "Verify offline, without any database: npm run audit:verify-bundle -- FILE [--key VERIFIER_KEY]",
].join("\n");

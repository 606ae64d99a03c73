import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import postgres from "postgres";
import { auditContent } from "@/lib/audit";
import { auditKeys } from "@/lib/audit";
import { eventMac } from "@/lib/audit";
import { benchEvent } from "./events";

export interface BulkLoadResult {
  rows: number;
  seconds: number;
  firstMs: number;
  lastMs: number;
}

// "authorization" is a reserved word, so every column is quoted.
const columns = [
  "ts",
  "actor_kind",
  "actor_id",
  "actor_label",
  "action",
  "subject_type",
  "subject_id",
  "authorization",
  "payload",
  "nonce",
  "mac",
]
  .map((c) => `"${c}"`)
  .join(", ");

/** COPY text format: backslash, tab, newline and carriage return are escaped; \N is NULL. */
const field = (v: string | null) =>
  v === null ? "\\N" : v.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");

/**
 * Inserts `count` unsealed events (benchEvent(from…)) with one COPY, each with a nonce
 * and the MAC appendAuditEvents would compute, ts advancing by `stepMs` from `startMs`.
 * The sealer then integrates them like any other events.
 */
export async function bulkLoad(
  url: string,
  from: number,
  count: number,
  startMs: number,
  stepMs: number,
): Promise<BulkLoadResult> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  const { macKey } = auditKeys();
  function* chunks(): Generator<string> {
    const lines: string[] = [];
    for (let k = 0; k < count; k++) {
      const content = auditContent(benchEvent(from + k), new Date(startMs + k * stepMs));
      const nonce = randomBytes(16).toString("base64");
      lines.push(
        [
          content.ts,
          content.actor.kind,
          content.actor.id,
          content.actor.label,
          content.action,
          content.subject.type,
          content.subject.id,
          JSON.stringify(content.authorization),
          JSON.stringify(content.payload),
          nonce,
          eventMac(macKey, nonce, content),
        ]
          .map(field)
          .join("\t"),
      );
      if (lines.length === 2000) yield `${lines.splice(0).join("\n")}\n`;
    }
    if (lines.length > 0) yield `${lines.join("\n")}\n`;
  }
  const t0 = performance.now();
  try {
    await client.begin(async (tx) => {
      const sink = await tx.unsafe(`copy audit_events (${columns}) from stdin`).writable();
      await pipeline(Readable.from(chunks()), sink);
    });
  } finally {
    await client.end({ timeout: 5 });
  }
  return {
    rows: count,
    seconds: (performance.now() - t0) / 1000,
    firstMs: startMs,
    lastMs: startMs + (count - 1) * stepMs,
  };
}

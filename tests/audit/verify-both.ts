import { expect } from "vitest";
import type { Queryable } from "@/db/client";
import { verifyAuditLog, type AuditVerifyResult, type VerifyOptions } from "@/lib/audit";

/**
 * verifyAuditLog in this thread and, on Postgres (a URL to give them), with ranges read
 * and hashed by worker threads: the two must agree on every field, so each tamper case
 * also checks that the parallel walk names the same first bad seq.
 */
export async function verifyBothWays(
  db: Queryable,
  url: string | undefined,
  options: VerifyOptions = {},
  threadCounts: number[] = [2],
): Promise<AuditVerifyResult> {
  const local = await verifyAuditLog(db, { ...options, threads: 0 });
  if (url) {
    for (const threads of threadCounts) {
      expect(await verifyAuditLog(db, { ...options, url, threads }), `${threads} worker threads`).toEqual(local);
    }
  }
  return local;
}

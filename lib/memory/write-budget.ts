import "server-only";
import type { Tx } from "@/db/client";

export interface MemoryWriteCharge {
  runId: string | null;
  jobId: string | null;
  collection: string;
}

/**
 * THE one place a shared-memory write is charged against a write budget; every write
 * (memory_write, and each compensating write of a revert) calls it inside the write's
 * transaction, before anything is written, so a refusal here writes nothing.
 *
 * Write budgets (writes per minute per key, acquired in Postgres) belong to resource
 * arbitration. Until that lands this charges nothing and allows every write.
 * TODO(resource arbitration): call its charge-a-write function here.
 */
export async function chargeMemoryWrite(tx: Tx, charge: MemoryWriteCharge): Promise<void> {
  void tx;
  void charge;
}

import "server-only";
import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { runs } from "@/db/schema";

/** A workspace write by a worker whose lease on the run is gone (another worker holds it, or nobody). */
export class WorkspaceFenceError extends Error {
  constructor(readonly runId: string) {
    super(`lease on run ${runId} lost: workspace write refused`);
    this.name = "WorkspaceFenceError";
  }
}

/**
 * The lease fence for a workspace write, inside the write's transaction: the run row must
 * still carry this token. The share lock keeps a claim (which rewrites the token) from
 * committing until this transaction ends, so a write either lands under a held lease or
 * not at all.
 */
export async function assertWorkspaceLease(tx: Tx, runId: string, leaseToken: string | undefined): Promise<void> {
  if (!(await runLeaseHeld(tx, runId, leaseToken))) throw new WorkspaceFenceError(runId);
}

/**
 * True when the run row still carries this lease token (or no token is given), holding a
 * share lock on it until the transaction ends. The one lease fence: workspace writes and
 * the tool gateway's call storage both ask it.
 */
export async function runLeaseHeld(tx: Tx, runId: string, leaseToken: string | undefined): Promise<boolean> {
  if (leaseToken === undefined) return true;
  const [row] = await tx
    .select({ id: runs.id })
    .from(runs)
    .where(and(eq(runs.id, runId), eq(runs.leaseToken, leaseToken)))
    .for("share");
  return row !== undefined;
}

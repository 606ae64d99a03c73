import { randomUUID } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "@/db/schema";
import { runAuthorization, workerActor } from "@/lib/audit";
import { claimNextRun } from "@/lib/runtime/claim";
import { leaseExpiryIn } from "@/lib/runtime/db-time";
import { flushAudit, transitionRun, type RunRow } from "@/lib/runtime/transitions";
import type { AuditInput } from "@/lib/audit/types";
import type { TestDatabase } from "@/tests/helpers/db";
import { getRun, newRun, runtimeDatabase } from "./helpers";

/**
 * A claim's queued -> running is written by flightdeck_take_slot (drizzle/0028_take_slot.sql), not by
 * transitionRun, to save round trips while the endpoint's lock is held. The two must write the same
 * run: here one run is claimed and a twin is moved by transitionRun with the lease patch the claim
 * used to pass, and the columns each changed, and the audit events, are compared.
 */
describe("a claim's queued -> running writes what transitionRun writes", () => {
  let handle: TestDatabase;
  beforeAll(async () => {
    handle = await runtimeDatabase();
  });
  afterAll(async () => {
    await handle.drop();
  });

  const changed = (before: RunRow, after: RunRow) =>
    Object.keys(after)
      .filter((k) => JSON.stringify(before[k as keyof RunRow]) !== JSON.stringify(after[k as keyof RunRow]))
      .sort();
  const runEvents = async (runId: string) =>
    handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, runId), eq(auditEvents.action, "run.running")))
      .orderBy(asc(auditEvents.id));

  it("changes the same columns to the same values and records the same run.running event", async () => {
    const claimed = await getRun(handle.db, (await newRun(handle.db, "scripted", { turns: 1 })).id);
    const twin = await getRun(handle.db, (await newRun(handle.db, "scripted", { turns: 1 })).id);
    const claim = await claimNextRun(handle.db, { workerId: "w-a", leaseMs: 30_000 });
    expect(claim?.run.id).toBe(claimed.id);

    await handle.db.transaction(async (tx) => {
      const sink: AuditInput[] = [];
      await transitionRun(tx, twin.id, "running", {
        actor: workerActor("w-a"),
        authorization: runAuthorization(twin),
        patch: {
          leaseToken: randomUUID(),
          leaseOwner: "w-a",
          leaseExpiresAt: leaseExpiryIn(30_000),
          attempt: twin.attempt,
          stateReason: null,
          slotReleased: false,
        },
        payload: { workerId: "w-a" },
        auditSink: sink,
      });
      await flushAudit(tx, sink);
    });

    const [a, b] = [await getRun(handle.db, claimed.id), await getRun(handle.db, twin.id)];
    expect(changed(claimed, a)).toEqual(changed(twin, b));
    const same = (row: RunRow) => ({
      state: row.state,
      stateReason: row.stateReason,
      waitingFor: row.waitingFor,
      leaseOwner: row.leaseOwner,
      attempt: row.attempt,
      slotReleased: row.slotReleased,
      runnableSince: row.runnableSince?.getTime() === undefined,
      started: row.startedAt !== null,
      leaseMs: (row.leaseExpiresAt?.getTime() ?? 0) - row.updatedAt.getTime(),
    });
    const [sa, sb] = [same(a), same(b)];
    // The lease expiry is statement time + 30 s in both; allow the statements' distance apart.
    expect(Math.abs(sa.leaseMs - sb.leaseMs)).toBeLessThan(5_000);
    expect({ ...sa, leaseMs: 0 }).toEqual({ ...sb, leaseMs: 0 });

    const [ea, eb] = [await runEvents(claimed.id), await runEvents(twin.id)];
    expect(ea).toHaveLength(1);
    expect(eb).toHaveLength(1);
    const content = (e: (typeof ea)[number], runId: string) => ({
      actor: [e.actorKind, e.actorId, e.actorLabel],
      subject: [e.subjectType, e.subjectId === runId],
      payload: { ...e.payload, jobId: e.payload.jobId },
      authorization: e.authorization,
    });
    expect(content(ea[0] as (typeof ea)[number], claimed.id)).toEqual(content(eb[0] as (typeof eb)[number], twin.id));
  });
});

import "server-only";
import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { signalDeliveries } from "@/db/schema";
import { appendAudit } from "@/lib/audit/append";
import { canonicalJson, toJsonValue } from "@/lib/audit/canonical";
import { auditActor, auditAuthorization } from "@/lib/audit";
import type { Principal } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { signalSubscribers } from "@/lib/jobs/registry";
import { createRun } from "@/lib/runtime/create-run";
import { hasPendingWaits, wakeSignalWaits } from "@/lib/runtime/signal-waits";

export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, "Idempotency-Key must be printable ASCII without spaces");

export interface SignalDeliveryParams {
  name: string;
  payload: unknown;
  /** The Idempotency-Key header; null/undefined when absent. */
  idempotencyKey?: string | null;
  actor: Principal;
}

export interface SignalDelivery {
  /** One run per job subscribed to the signal. */
  runs: string[];
  /** True when the key was seen before: the earlier runs, nothing created. */
  replayed: boolean;
  /** Runs parked by wait_for_signal that this delivery woke. */
  woken: string[];
}

function payloadHash(payload: unknown): string {
  return createHash("sha256")
    .update(canonicalJson(toJsonValue(payload)))
    .digest("hex");
}

/**
 * Delivers a signal: validates the payload against the declared schema, creates one run
 * per subscribed job and audits the delivery, all in one transaction. With an
 * idempotency key the (signal, key) row is inserted in that same transaction, so a
 * concurrent duplicate waits on it and then answers the runs it committed.
 */
export async function deliverSignal(db: Db, params: SignalDeliveryParams): Promise<SignalDelivery> {
  const subscribers = signalSubscribers(params.name);
  if (subscribers.length === 0 && !(await hasPendingWaits(db, params.name)))
    throw new AppError("not_found", `Unknown signal "${params.name}"`);

  let key: string | null = null;
  if (params.idempotencyKey !== undefined && params.idempotencyKey !== null) {
    const parsed = idempotencyKeySchema.safeParse(params.idempotencyKey);
    if (!parsed.success) throw AppError.validation(parsed.error, "Idempotency-Key header");
    key = parsed.data;
  }
  // createRun takes signal input as given, so it gets the parsed (defaulted, stripped) payload.
  const deliveries = subscribers.map(({ def, trigger }) => {
    const parsed = trigger.payload.safeParse(params.payload);
    if (!parsed.success) throw AppError.validation(parsed.error, "signal payload");
    return { jobId: def.id, input: parsed.data };
  });
  const hash = payloadHash(params.payload);

  return db.transaction(async (tx) => {
    if (key !== null) {
      const [claimed] = await tx
        .insert(signalDeliveries)
        .values({ signalName: params.name, idempotencyKey: key, payloadHash: hash, runIds: [] })
        .onConflictDoNothing()
        .returning({ signalName: signalDeliveries.signalName });
      if (!claimed) {
        // The conflicting insert has committed by now (ON CONFLICT waits for it), and
        // this statement's snapshot sees it.
        const [earlier] = await tx
          .select()
          .from(signalDeliveries)
          .where(and(eq(signalDeliveries.signalName, params.name), eq(signalDeliveries.idempotencyKey, key)));
        if (!earlier) throw new Error("signal delivery vanished after conflict");
        if (earlier.payloadHash !== hash) {
          throw new AppError("conflict", "Idempotency-Key was already used with a different payload", {
            signal: params.name,
          });
        }
        return { runs: earlier.runIds, replayed: true, woken: [] };
      }
    }

    const runs: string[] = [];
    for (const delivery of deliveries) {
      const run = await createRun(tx, {
        jobId: delivery.jobId,
        input: delivery.input,
        trigger: { kind: "signal", ref: params.name },
        actor: params.actor,
      });
      runs.push(run.id);
    }
    if (key !== null) {
      await tx
        .update(signalDeliveries)
        .set({ runIds: runs })
        .where(and(eq(signalDeliveries.signalName, params.name), eq(signalDeliveries.idempotencyKey, key)));
    }
    const actor = auditActor(params.actor);
    const authorization = auditAuthorization(params.actor, "signals.send");
    const woken = await wakeSignalWaits(tx, params.name, params.payload, actor, authorization);
    await appendAudit(tx, {
      actor,
      action: "signal.received",
      subject: { type: "signal", id: params.name },
      authorization,
      payload: { signal: params.name, idempotencyKey: key, runIds: runs, woken, payloadHash: hash },
    });
    return { runs, replayed: false, woken };
  });
}

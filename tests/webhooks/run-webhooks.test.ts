import { gt } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { webhookOutbox } from "@/db/schema";
import { EnvError, parseEnv, resetEnvCache } from "@/lib/env";
import { transitionRun } from "@/lib/runtime/transitions";
import { deliverWebhooks } from "@/lib/webhooks";
import type { TestDatabase } from "@/tests/helpers/db";
import { lead, newRun, runtimeDatabase } from "@/tests/runtime/helpers";
import { pauseRun, resumeRun } from "@/lib/runtime/controls";
import { startWebhookReceiver, type WebhookReceiver } from "@/tests/helpers/webhook-receiver";

/** Run messages: a failed run and a run stopping for an approval reach a loopback receiver, signed. */
const SECRET = `whsec_${Buffer.from("flightdeck-run-webhook-key-0123456789").toString("base64")}`;
const system = {
  actor: { kind: "system" as const, id: "test", label: "test" },
  authorization: { via: "system" as const },
};
let handle: TestDatabase;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver(SECRET);
  handle = await runtimeDatabase();
});
afterEach(async () => {
  delete process.env.FLIGHTDECK_WEBHOOK_EVENTS;
  resetEnvCache();
  await handle.db.delete(webhookOutbox).where(gt(webhookOutbox.seq, 0));
  receiver.received.length = 0;
});
afterAll(async () => {
  await handle.drop();
  await receiver.close();
});

const delivered = () =>
  receiver.received.map((r) => ({ verified: r.verified, body: JSON.parse(r.body) as Record<string, unknown> }));

async function failRun(): Promise<string> {
  const run = await newRun(handle.db, "scripted", { turns: 1 });
  await handle.db.transaction(async (tx) => {
    await transitionRun(tx, run.id, "running", system);
    await transitionRun(tx, run.id, "failed", {
      ...system,
      reason: "error",
      patch: { error: "model said no\nstack trace line" },
    });
  });
  return run.id;
}

async function waitForApproval(): Promise<string> {
  const run = await newRun(handle.db, "scripted", { turns: 1 });
  await handle.db.transaction((tx) =>
    transitionRun(tx, run.id, "waiting", { ...system, reason: "approval", waitingFor: "apr_test" }),
  );
  return run.id;
}

describe("run webhooks", () => {
  it("a failed run and a run waiting for an approval are delivered, signed; other transitions send nothing", async () => {
    const failed = await failRun();
    const waiting = await waitForApproval();
    // A plain pause (operator) is not news for the team channel.
    const paused = await newRun(handle.db, "scripted", { turns: 1 });
    await handle.db.transaction((tx) => transitionRun(tx, paused.id, "paused", { ...system, reason: "operator" }));

    expect(await deliverWebhooks(handle.db)).toEqual({ delivered: 2, failed: 0 });
    const received = delivered();
    expect(received.map((r) => r.body.type)).toEqual(["run.failed", "run.needs_attention"]);
    expect(received.every((r) => r.verified)).toBe(true);
    const [failure, attention] = received;
    expect(failure?.body).toMatchObject({
      data: { run: { id: failed, jobId: "scripted", state: "failed", reason: "error", error: "model said no" } },
    });
    expect(String(failure?.body.text)).toContain(`Run ${failed} of scripted failed: model said no`);
    expect(attention?.body).toMatchObject({
      data: { run: { id: waiting, state: "waiting", reason: "approval", waitingFor: "apr_test" } },
    });
    expect(String((attention?.body.data as { run: { url: string } }).run.url)).toContain(`/runs/${waiting}`);
  });

  it("a run created waiting for its approval needs attention at once; resuming it after a pause says nothing new", async () => {
    const run = await newRun(handle.db, "approve-first", { turns: 1 });
    expect(run.state).toBe("waiting");
    await pauseRun(handle.db, run.id, lead);
    await resumeRun(handle.db, run.id, lead);
    // (Its approval card is announced too, as flashcard.created.)
    const queued = (await handle.db.select().from(webhookOutbox)).filter((q) => q.eventType.startsWith("run."));
    expect(queued.map((q) => q.eventType)).toEqual(["run.needs_attention"]);
    expect(queued[0]?.payload).toMatchObject({
      data: { run: { id: run.id, jobId: "approve-first", state: "waiting", reason: "approval" } },
    });
  });

  it("FLIGHTDECK_WEBHOOK_EVENTS picks the message types; an unknown type stops start-up naming the variable", async () => {
    process.env.FLIGHTDECK_WEBHOOK_EVENTS = "run.needs_attention, flashcard.created";
    resetEnvCache();
    await failRun();
    await waitForApproval();
    const queued = await handle.db.select({ type: webhookOutbox.eventType }).from(webhookOutbox);
    expect(queued.map((q) => q.type)).toEqual(["run.needs_attention"]);

    expect(() => parseEnv({ ...process.env, FLIGHTDECK_WEBHOOK_EVENTS: "run.failed,run.exploded" })).toThrow(EnvError);
    expect(() => parseEnv({ ...process.env, FLIGHTDECK_WEBHOOK_EVENTS: "run.failed,run.exploded" })).toThrow(
      /FLIGHTDECK_WEBHOOK_EVENTS/,
    );
  });
});

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gt } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { webhookOutbox } from "@/db/schema";
import { EnvError, parseEnv, resetEnvCache } from "@/lib/env";
import { transitionRun } from "@/lib/runtime/transitions";
import { deliverWebhooks, verifyWebhook } from "@/lib/webhooks";
import type { TestDatabase } from "@/tests/helpers/db";
import { newRun, runtimeDatabase } from "@/tests/runtime/helpers";

/** Run messages: a failed run and a run stopping for an approval reach a loopback receiver, signed. */
const SECRET = `whsec_${Buffer.from("flightdeck-run-webhook-key-0123456789").toString("base64")}`;
const system = {
  actor: { kind: "system" as const, id: "test", label: "test" },
  authorization: { via: "system" as const },
};
let handle: TestDatabase;
let server: Server;
const received: { type: string; verified: boolean; body: Record<string, unknown> }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      const header = (name: string) => (typeof req.headers[name] === "string" ? (req.headers[name] as string) : null);
      const verified = verifyWebhook(
        SECRET,
        { id: header("webhook-id"), timestamp: header("webhook-timestamp"), signature: header("webhook-signature") },
        body,
      );
      const parsed = JSON.parse(body) as Record<string, unknown>;
      received.push({ type: String(parsed.type), verified, body: parsed });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.FLIGHTDECK_WEBHOOK_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  process.env.FLIGHTDECK_WEBHOOK_SECRET = SECRET;
  resetEnvCache();
  handle = await runtimeDatabase();
});
afterEach(async () => {
  delete process.env.FLIGHTDECK_WEBHOOK_EVENTS;
  resetEnvCache();
  await handle.db.delete(webhookOutbox).where(gt(webhookOutbox.seq, 0));
  received.length = 0;
});
afterAll(async () => {
  delete process.env.FLIGHTDECK_WEBHOOK_URL;
  delete process.env.FLIGHTDECK_WEBHOOK_SECRET;
  resetEnvCache();
  await handle.drop();
  await new Promise((resolve) => server.close(resolve));
});

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
    expect(received.map((r) => r.type)).toEqual(["run.failed", "run.needs_attention"]);
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

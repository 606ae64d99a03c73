import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, webhookOutbox } from "@/db/schema";
import { systemPrincipal } from "@/lib/audit";
import { transitionRun } from "@/lib/runtime/transitions";
import { createApiToken } from "@/lib/tokens";
import { deliverWebhooks, WEBHOOK_MAX_ATTEMPTS } from "@/lib/webhooks";
import * as deliveriesRoute from "@/app/api/webhooks/deliveries/route";
import * as redeliverRoute from "@/app/api/webhooks/deliveries/[id]/redeliver/route";
import { serveRoutes, type TestServer } from "@/tests/auth/http";
import type { TestDatabase } from "@/tests/helpers/db";
import { newRun, runtimeDatabase } from "@/tests/runtime/helpers";
import { startWebhookReceiver, type WebhookReceiver } from "@/tests/helpers/webhook-receiver";

/** The admin's delivery log: a receiver that keeps failing, the message given up, then redelivered. */
const SECRET = `whsec_${Buffer.from("flightdeck-delivery-log-key-0123456789").toString("base64")}`;
let handle: TestDatabase;
let receiver: WebhookReceiver;
let api: TestServer;
const tokens = new Map<string, string>();

beforeAll(async () => {
  receiver = await startWebhookReceiver(SECRET);
  receiver.answerWith(500);
  handle = await runtimeDatabase();
  api = await serveRoutes({
    "/api/webhooks/deliveries": deliveriesRoute,
    "/api/webhooks/deliveries/[id]/redeliver": redeliverRoute,
  });
  for (const role of ["admin", "lead"] as const) {
    tokens.set(role, (await createApiToken(handle.db, systemPrincipal("tests"), { name: `hook-${role}`, role })).token);
  }
});
afterAll(async () => {
  await api.close();
  await handle.drop();
  await receiver.close();
});

async function http(method: string, path: string, role: "admin" | "lead") {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${tokens.get(role) ?? ""}`, "content-type": "application/json" },
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

interface Delivery {
  id: string;
  type: string;
  status: string;
  attempts: number;
  lastError: string | null;
}

describe("webhook delivery log", () => {
  it("shows a message the receiver refused until it was given up; an admin redelivers it and it arrives", async () => {
    const run = await newRun(handle.db, "scripted", { turns: 1 });
    const system = {
      actor: { kind: "system" as const, id: "t", label: "t" },
      authorization: { via: "system" as const },
    };
    await handle.db.transaction(async (tx) => {
      await transitionRun(tx, run.id, "running", system);
      await transitionRun(tx, run.id, "failed", { ...system, reason: "error", patch: { error: "boom" } });
    });
    for (let i = 0; i < WEBHOOK_MAX_ATTEMPTS; i++) {
      expect(await deliverWebhooks(handle.db)).toEqual({ delivered: 0, failed: 1 });
      // Skip the backoff: the next try is due now.
      await handle.db
        .update(webhookOutbox)
        .set({ nextAttemptAt: sql`now()` })
        .where(eq(webhookOutbox.eventType, "run.failed"));
    }
    expect(await deliverWebhooks(handle.db)).toEqual({ delivered: 0, failed: 0 });

    const failed = await http("GET", "/api/webhooks/deliveries?status=failed", "admin");
    expect(failed.status).toBe(200);
    const [message] = failed.json.deliveries as Delivery[];
    expect(message).toMatchObject({ type: "run.failed", status: "failed", attempts: 12, lastError: "HTTP 500" });
    expect(failed.json.counts).toMatchObject({ failed: 1, delivered: 0 });
    if (!message) throw new Error("no failed message listed");

    expect((await http("GET", "/api/webhooks/deliveries", "lead")).status).toBe(403);
    expect((await http("POST", `/api/webhooks/deliveries/${message.id}/redeliver`, "lead")).status).toBe(403);
    const bad = await http("GET", "/api/webhooks/deliveries?status=lost", "admin");
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain("status");

    const again = await http("POST", `/api/webhooks/deliveries/${message.id}/redeliver`, "admin");
    expect(again.status).toBe(200);
    expect(again.json.delivery).toMatchObject({ id: message.id, status: "pending", attempts: 0 });
    receiver.answerWith(null);
    expect(await deliverWebhooks(handle.db)).toEqual({ delivered: 1, failed: 0 });
    const delivered = await http("GET", "/api/webhooks/deliveries?status=delivered", "admin");
    expect((delivered.json.deliveries as Delivery[]).map((d) => d.id)).toEqual([message.id]);

    expect((await http("POST", `/api/webhooks/deliveries/${message.id}/redeliver`, "admin")).status).toBe(409);
    expect((await http("POST", "/api/webhooks/deliveries/msg_nope/redeliver", "admin")).status).toBe(404);
    const [audited] = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "webhook.redelivered"), eq(auditEvents.subjectId, message.id)));
    expect(audited?.payload).toMatchObject({ type: "run.failed", lastError: "HTTP 500" });
  });
});

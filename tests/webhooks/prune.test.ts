import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { webhookOutbox } from "@/db/schema";
import { resetEnvCache } from "@/lib/env";
import { pruneWebhookOutbox } from "@/lib/webhooks";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";

/** The outbox keeps finished messages for FLIGHTDECK_WEBHOOK_RETENTION_DAYS; the daily retention pass deletes older ones. */
let handle: TestDatabase;
const now = new Date("2026-12-06T12:00:00Z");
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);

beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle.drop();
});
afterEach(() => {
  delete process.env.FLIGHTDECK_WEBHOOK_RETENTION_DAYS;
  resetEnvCache();
});

async function message(id: string, at: { created: Date; delivered?: Date; failed?: Date }) {
  await handle.db.insert(webhookOutbox).values({
    id,
    eventType: "run.failed",
    payload: { type: "run.failed", text: id, data: {} },
    createdAt: at.created,
    nextAttemptAt: at.created,
    deliveredAt: at.delivered ?? null,
    failedAt: at.failed ?? null,
  });
}

async function left(): Promise<string[]> {
  return (await handle.db.select({ id: webhookOutbox.id }).from(webhookOutbox)).map((r) => r.id).sort();
}

describe("webhook outbox retention", () => {
  it("deletes delivered and given-up messages past the retention, keeps recent ones and every message still due", async () => {
    await message("delivered-old", { created: daysAgo(45), delivered: daysAgo(44) });
    await message("failed-old", { created: daysAgo(40), failed: daysAgo(31) });
    await message("delivered-recent", { created: daysAgo(29), delivered: daysAgo(29) });
    await message("failed-recent", { created: daysAgo(60), failed: daysAgo(10) });
    await message("pending-old", { created: daysAgo(90) });

    // The default: 30 days.
    expect(await pruneWebhookOutbox(handle.db, now)).toBe(2);
    expect(await left()).toEqual(["delivered-recent", "failed-recent", "pending-old"]);

    process.env.FLIGHTDECK_WEBHOOK_RETENTION_DAYS = "7";
    resetEnvCache();
    expect(await pruneWebhookOutbox(handle.db, now)).toBe(2);
    expect(await left()).toEqual(["pending-old"]);
    expect(await pruneWebhookOutbox(handle.db, now)).toBe(0);
  });

  it("works through a backlog larger than one batch", async () => {
    await handle.db.delete(webhookOutbox).where(sql`true`);
    for (let i = 0; i < 7; i++) await message(`old-${i}`, { created: daysAgo(50), delivered: daysAgo(40 + i) });
    await message("due", { created: daysAgo(50) });
    await message("recent", { created: daysAgo(2), delivered: daysAgo(1) });
    expect(await pruneWebhookOutbox(handle.db, now, { batch: 2 })).toBe(7);
    expect(await left()).toEqual(["due", "recent"]);
  });

  it("refuses a retention that is not a whole number of days from 1, naming the variable", async () => {
    process.env.FLIGHTDECK_WEBHOOK_RETENTION_DAYS = "0";
    resetEnvCache();
    await expect(pruneWebhookOutbox(handle.db, now)).rejects.toThrow(/FLIGHTDECK_WEBHOOK_RETENTION_DAYS/);
  });
});

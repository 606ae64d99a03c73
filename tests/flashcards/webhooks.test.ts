import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookOutbox } from "@/db/schema";
import { raiseFlashcard } from "@/lib/flashcards";
import { deliverWebhooks, signWebhook, verifyWebhook } from "@/lib/webhooks";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { startWebhookReceiver, type WebhookReceiver } from "@/tests/helpers/webhook-receiver";

/** The outbox delivered to a loopback receiver that verifies Standard Webhooks signatures. */
const SECRET = `whsec_${Buffer.from("flightdeck-webhook-test-key-0123456789").toString("base64")}`;
let handle: TestDatabase;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver(SECRET);
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle.drop();
  await receiver.close();
});

describe("webhooks", () => {
  it("signs as the Standard Webhooks spec says and refuses tampering", () => {
    const sig = signWebhook(SECRET, "msg_1", 1_700_000_000, '{"a":1}');
    expect(sig).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    const headers = { id: "msg_1", timestamp: "1700000000", signature: `v1,bogus ${sig}` };
    expect(verifyWebhook(SECRET, headers, '{"a":1}', 300, 1_700_000_010)).toBe(true);
    expect(verifyWebhook(SECRET, headers, '{"a":2}', 300, 1_700_000_010)).toBe(false);
    expect(verifyWebhook(SECRET, headers, '{"a":1}', 300, 1_700_001_000)).toBe(false);
  });

  it("a new card is queued in its transaction, delivered signed, and retried with backoff after a failure", async () => {
    receiver.failNext(1);
    await handle.db.transaction((tx) =>
      raiseFlashcard(tx, {
        kind: "failures",
        fingerprint: "hook:1",
        severity: "critical",
        title: "triage is failing",
        why: "3 in a row",
        jobId: "triage",
      }),
    );
    // A repeat of the same live card queues nothing new.
    await handle.db.transaction((tx) =>
      raiseFlashcard(tx, {
        kind: "failures",
        fingerprint: "hook:1",
        severity: "critical",
        title: "triage is failing",
        why: "4 in a row",
        jobId: "triage",
      }),
    );
    const queued = await handle.db.select().from(webhookOutbox);
    expect(queued).toHaveLength(1);

    expect(await deliverWebhooks(handle.db)).toEqual({ delivered: 0, failed: 1 });
    const [retry] = await handle.db.select().from(webhookOutbox);
    expect(retry).toMatchObject({ attempts: 1, lastError: "HTTP 503", deliveredAt: null });
    // Not due yet: nothing is sent.
    expect(await deliverWebhooks(handle.db)).toEqual({ delivered: 0, failed: 0 });
    await handle.db
      .update(webhookOutbox)
      .set({ nextAttemptAt: sql`now()` })
      .where(eq(webhookOutbox.seq, retry?.seq ?? 0));
    expect(await deliverWebhooks(handle.db)).toEqual({ delivered: 1, failed: 0 });

    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]?.verified).toBe(true);
    expect(receiver.received[0]?.id).toBe(retry?.id);
    const payload = JSON.parse(receiver.received[0]?.body ?? "{}");
    expect(payload).toMatchObject({
      type: "flashcard.created",
      data: { card: { kind: "failures", severity: "critical", title: "triage is failing" } },
    });
    expect(payload.text).toMatch(/^\[critical\] failures: triage is failing — 3 in a row/);
    const [done] = await handle.db.select().from(webhookOutbox);
    expect(done?.deliveredAt).not.toBeNull();
  });
});

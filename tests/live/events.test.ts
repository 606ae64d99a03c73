import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "@/db/schema";
import { systemPrincipal } from "@/lib/audit";
import { raiseFlashcard } from "@/lib/flashcards/raise";
import { createLiveHub, getLiveHub, notifyLive, toLiveEvent, type LiveEvent } from "@/lib/live";
import { LOCKS_CHANNEL } from "@/lib/memory";
import { pauseRun } from "@/lib/runtime/controls";
import { RUNS_CHANNEL } from "@/lib/runtime/channels";
import { createApiToken } from "@/lib/tokens";
import { serveRoutes, type TestServer } from "@/tests/auth/http";
import type { TestDatabase } from "@/tests/helpers/db";
import { newRun, operator, runtimeDatabase } from "@/tests/runtime/helpers";
import * as eventsRoute from "@/app/api/events/route";

/**
 * GET /api/events over real loopback HTTP: a change committed in the database reaches an
 * open stream within 500 ms, a closed stream leaves no subscriber behind, refused callers
 * get 401/403. PGlite by default; Postgres (one shared LISTEN connection) with TEST_DATABASE_URL.
 */
let handle: TestDatabase;
let server: TestServer;
const tokens = new Map<Role | "metrics", string>();
/** Streams a failed test left open are closed after it, so the next test starts from zero. */
const open = new Set<AbortController>();
afterEach(() => {
  for (const controller of open) controller.abort();
  open.clear();
});

beforeAll(async () => {
  handle = await runtimeDatabase();
  server = await serveRoutes({ "/api/events": eventsRoute });
  for (const role of ["reviewer", "operator"] as const) {
    const created = await createApiToken(handle.db, systemPrincipal("tests"), { name: `live-${role}`, role });
    tokens.set(role, created.token);
  }
  const scoped = await createApiToken(handle.db, systemPrincipal("tests"), { name: "live-metrics", scope: "metrics" });
  tokens.set("metrics", scoped.token);
});
afterAll(async () => {
  await (await getLiveHub()).close();
  await server.close();
  await handle.drop();
});

interface Received {
  event: string;
  data: string;
  at: number;
}

/** A minimal EventSource over fetch: collects `event:`/`data:` frames as they arrive. */
async function openStream(who: Role | "metrics" | null) {
  const controller = new AbortController();
  const token = who ? tokens.get(who) : undefined;
  const response = await fetch(`${server.url}/api/events`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: controller.signal,
  });
  open.add(controller);
  const received: Received[] = [];
  let raw = "";
  const waiters = new Set<() => void>();
  const pump = (async () => {
    if (!response.body || response.status !== 200) return;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        const text = decoder.decode(value, { stream: true });
        raw += text;
        buffer += text;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = frame.split("\n");
          const event = lines.find((l) => l.startsWith("event: "))?.slice(7);
          const data =
            lines
              .find((l) => l.startsWith("data:"))
              ?.slice(5)
              .trim() ?? "";
          if (event) received.push({ event, data, at: performance.now() });
          for (const wake of waiters) wake();
        }
      }
    } catch {
      // Aborted by close().
    }
  })();
  const next = (match: (r: Received) => boolean, timeoutMs = 2_000) =>
    new Promise<Received>((resolve, reject) => {
      const check = () => {
        const hit = received.find(match);
        if (!hit) return false;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(hit);
        return true;
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(received)}`));
      }, timeoutMs);
      if (!check()) waiters.add(check);
    });
  return {
    response,
    received,
    raw: () => raw,
    next,
    async close() {
      open.delete(controller);
      controller.abort();
      await pump;
    },
  };
}

async function waitFor(condition: () => boolean, timeoutMs = 2_000) {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("GET /api/events", () => {
  it("refuses anonymous callers (401) and a metrics-scoped token (403)", async () => {
    const anonymous = await openStream(null);
    expect(anonymous.response.status).toBe(401);
    const scoped = await openStream("metrics");
    expect(scoped.response.status).toBe(403);
    await Promise.all([anonymous.close(), scoped.close()]);
    expect((await getLiveHub()).subscribers).toBe(0);
  });

  it("streams text/event-stream with a retry delay and a ready event", async () => {
    const stream = await openStream("reviewer");
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(stream.response.headers.get("cache-control")).toContain("no-transform");
    const ready = await stream.next((r) => r.event === "ready");
    expect(ready.data.split(",").sort()).toEqual(["flashcard", "resources", "run"]);
    expect(stream.raw()).toMatch(/^: flightdeck live\nretry: \d+\n\n/);
    await stream.close();
  });

  it("delivers a run change committed in the database within 500 ms", async () => {
    const stream = await openStream("reviewer");
    await stream.next((r) => r.event === "ready");
    const latencies: number[] = [];
    // Measured from before the write: with Postgres the notification can arrive before the
    // client has read its COMMIT's answer, so this is an upper bound that includes the write.
    for (let i = 0; i < 5; i++) {
      const created = performance.now();
      const run = await newRun(handle.db, "scripted", { turns: 1 });
      const hit = await stream.next((r) => r.event === "run" && r.data === run.id, 500);
      latencies.push(hit.at - created);
      // A state change (not only a creation) is an event too.
      const changing = performance.now();
      await pauseRun(handle.db, run.id, operator);
      const paused = await stream.next((r) => r.event === "run" && r.data === run.id && r.at > changing, 500);
      latencies.push(paused.at - changing);
    }
    expect(Math.max(...latencies)).toBeLessThan(500);
    await stream.close();
  });

  it("delivers flashcard and resources changes, ids only", async () => {
    const stream = await openStream("operator");
    await stream.next((r) => r.event === "ready");
    const raised = await handle.db.transaction((tx) =>
      raiseFlashcard(tx, { kind: "notice", fingerprint: "live-test", severity: "warning", title: "t", why: "w" }),
    );
    const card = await stream.next((r) => r.event === "flashcard", 500);
    expect(card.data).toBe(raised.id);
    await handle.db.transaction((tx) => notifyLive(tx, "resources", "endpoints"));
    const resources = await stream.next((r) => r.event === "resources", 500);
    expect(resources.data).toBe("endpoints");
    await stream.close();
  });

  it("drops nothing on rollback and sends nothing for a rolled-back change", async () => {
    const stream = await openStream("reviewer");
    await stream.next((r) => r.event === "ready");
    await handle.db
      .transaction(async (tx) => {
        await notifyLive(tx, "run", "rolled-back");
        throw new Error("rollback");
      })
      .catch(() => {});
    await handle.db.transaction((tx) => notifyLive(tx, "run", "committed"));
    await stream.next((r) => r.data === "committed", 500);
    expect(stream.received.some((r) => r.data === "rolled-back")).toBe(false);
    await stream.close();
  });

  it("unsubscribes a stream when its client disconnects", async () => {
    const hub = await getLiveHub();
    // Streams of the tests before may still be closing.
    await waitFor(() => hub.subscribers === 0);
    const before = hub.subscribers;
    const streams = await Promise.all([openStream("reviewer"), openStream("operator"), openStream("reviewer")]);
    await Promise.all(streams.map((s) => s.next((r) => r.event === "ready")));
    expect(hub.subscribers).toBe(before + 3);
    await Promise.all(streams.map((s) => s.close()));
    await waitFor(() => hub.subscribers === before);
    expect(hub.subscribers).toBe(before);
  });
});

describe("the live hub", () => {
  it("listens once per channel however many subscribers, and refuses past its bound", async () => {
    const listens: string[] = [];
    const callbacks = new Map<string, (payload: string) => void>();
    const hub = createLiveHub(
      {
        async listen(channel, onPayload) {
          listens.push(channel);
          callbacks.set(channel, onPayload);
          return async () => {};
        },
      },
      2,
    );
    const a: LiveEvent[] = [];
    const b: LiveEvent[] = [];
    const offA = await hub.subscribe((e) => a.push(e));
    const offB = await hub.subscribe((e) => b.push(e));
    expect(await hub.subscribe(() => {})).toBeNull();
    expect(listens.sort()).toEqual(["flightdeck_live", "flightdeck_locks", "flightdeck_runs"]);
    callbacks.get(RUNS_CHANNEL)?.("run-1");
    expect(a).toEqual([{ kind: "run", id: "run-1" }]);
    expect(b).toEqual(a);
    offA?.();
    offB?.();
    expect(hub.subscribers).toBe(0);
    expect(await hub.subscribe(() => {})).not.toBeNull();
    expect(listens).toHaveLength(3);
  });

  it("maps channel payloads to kinds and ids", () => {
    expect(toLiveEvent(RUNS_CHANNEL, "r1")).toEqual({ kind: "run", id: "r1" });
    expect(toLiveEvent(RUNS_CHANNEL, "")).toEqual({ kind: "resync", id: "" });
    expect(toLiveEvent(LOCKS_CHANNEL, "r1,r2")).toEqual({ kind: "resources", id: "locks" });
    expect(toLiveEvent("flightdeck_live", "flashcard:fc_1")).toEqual({ kind: "flashcard", id: "fc_1" });
    expect(toLiveEvent("flightdeck_live", "resources:")).toEqual({ kind: "resources", id: "" });
    expect(toLiveEvent("flightdeck_live", "secret:x")).toBeNull();
  });
});

describe("the stream's lifetime", () => {
  it("ends after its maximum age and unsubscribes, so a reconnect authorizes the caller again", async () => {
    const { openLiveStream } = await import("@/lib/live");
    const hub = createLiveHub({ listen: async () => async () => {} });
    const response = await openLiveStream(hub, operator, new AbortController().signal, { maxAgeMs: 50 });
    expect(hub.subscribers).toBe(1);
    const text = await response.text();
    expect(text).toContain("event: ready");
    expect(hub.subscribers).toBe(0);
  });
});

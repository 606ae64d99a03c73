import "server-only";
import { getDatabase, type DatabaseHandle } from "@/db/client";
import { LOCKS_CHANNEL } from "@/lib/memory/locks";
import { RUNS_CHANNEL } from "@/lib/runtime/channels";
import { LIVE_CHANNEL, type LiveKind } from "./channel";

/** One change, named by kind and id only. `resync`: notifications may have been missed, refetch everything. */
export interface LiveEvent {
  kind: LiveKind | "resync";
  id: string;
}

export type LiveSubscriber = (event: LiveEvent) => void;

/**
 * Streams one process serves at once. Each open stream is a socket and a closure, no database
 * connection, so the bound is about sockets and file descriptors, not Postgres; past it a new
 * stream is refused (429) and the browser keeps polling.
 */
export const MAX_LIVE_STREAMS = 1_000;

export interface LiveHub {
  /** Resolves to the unsubscribe function, or null when the hub is full. */
  subscribe(fn: LiveSubscriber): Promise<(() => void) | null>;
  readonly subscribers: number;
  close(): Promise<void>;
}

/** Payloads of the three channels as events; null for one to ignore. */
export function toLiveEvent(channel: string, payload: string): LiveEvent | null {
  // The Postgres listener reconnected and says so with an empty payload (db/pg-listener.ts).
  if (payload === "") return { kind: "resync", id: "" };
  if (channel === RUNS_CHANNEL) return { kind: "run", id: payload };
  // A lock granted to waiting runs (payload: their ids): the Resources page shows locks.
  if (channel === LOCKS_CHANNEL) return { kind: "resources", id: "locks" };
  const colon = payload.indexOf(":");
  const kind = colon < 0 ? payload : payload.slice(0, colon);
  const id = colon < 0 ? "" : payload.slice(colon + 1);
  return kind === "run" || kind === "flashcard" || kind === "resources" ? { kind, id } : null;
}

/**
 * Fans the database's notifications out to every open stream of this process: the channels
 * are LISTENed once, on the handle's one listening connection (Postgres: db/pg-listener.ts,
 * shared with an embedded worker; PGlite: its in-process listen), however many tabs are open.
 * The LISTENs are taken on the first subscriber and kept for the life of the handle — three
 * channels on a connection that exists anyway — so a tab that reconnects pays nothing.
 */
export function createLiveHub(handle: Pick<DatabaseHandle, "listen">, maxSubscribers = MAX_LIVE_STREAMS): LiveHub {
  const subscribers = new Set<LiveSubscriber>();
  let started: Promise<Array<() => Promise<void>>> | null = null;

  const dispatch = (channel: string) => (payload: string) => {
    const event = toLiveEvent(channel, payload);
    if (!event) return;
    for (const fn of subscribers) {
      try {
        fn(event);
      } catch {
        // One broken stream must not starve the others; its own cleanup removes it.
      }
    }
  };

  const start = () =>
    Promise.all([RUNS_CHANNEL, LIVE_CHANNEL, LOCKS_CHANNEL].map((c) => handle.listen(c, dispatch(c))));

  return {
    async subscribe(fn) {
      if (subscribers.size >= maxSubscribers) return null;
      started ??= start().catch((error: unknown) => {
        started = null;
        throw error;
      });
      await started;
      if (subscribers.size >= maxSubscribers) return null;
      subscribers.add(fn);
      return () => {
        subscribers.delete(fn);
      };
    },
    get subscribers() {
      return subscribers.size;
    },
    async close() {
      subscribers.clear();
      const unlisten = await started?.catch(() => []);
      started = null;
      await Promise.allSettled((unlisten ?? []).map((u) => u()));
    },
  };
}

// One hub per process and database handle, on globalThis like the handle itself (db/client.ts):
// Next bundles route handlers into several module graphs that must share it.
const globalKey = Symbol.for("flightdeck.live-hub");
type GlobalWithHub = typeof globalThis & { [globalKey]?: { handle: DatabaseHandle; hub: LiveHub } };
const store = globalThis as GlobalWithHub;

export async function getLiveHub(): Promise<LiveHub> {
  const handle = await getDatabase();
  const current = store[globalKey];
  if (current?.handle === handle) return current.hub;
  // Tests swap the process database: the old hub's LISTENs belong to a closed handle.
  if (current) void current.hub.close();
  const hub = createLiveHub(handle);
  store[globalKey] = { handle, hub };
  return hub;
}

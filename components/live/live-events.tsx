"use client";

import { useQueryClient, type QueryKey } from "@tanstack/react-query";
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from "react";
import { createCoalescer } from "./coalesce";

/** What GET /api/events names (lib/live): a kind and an id, never data. */
export type LiveKind = "run" | "flashcard" | "resources" | "resync";
export interface LiveMessage {
  kind: LiveKind;
  id: string;
}
type Listener = (message: LiveMessage) => void;

const kinds: readonly LiveKind[] = ["run", "flashcard", "resources", "resync"];
/** The server pings every 15 s (lib/live/stream.ts); silence past this means the stream is dead. */
const SILENCE_MS = 40_000;
/** EventSource gives up for good on a non-200 answer (401 after sign-out, 429 when full): we retry, slowly. */
const REOPEN_MIN_MS = 5_000;
const REOPEN_MAX_MS = 60_000;
/**
 * A tab hidden this long closes its stream (and opens it again, refetching once, when shown):
 * browsers allow about six HTTP/1.1 connections per origin, and a stream held by every
 * background tab would starve the visible one's requests. Hidden tabs do not poll either.
 */
const HIDDEN_CLOSE_MS = 30_000;
/** At most one refetch of a query per this gap, however many events arrive. */
const REFETCH_GAP_MS = 100;

/**
 * The react-query data each kind invalidates: only active (mounted) queries refetch, so a page
 * pays only for what it shows. Run changes move endpoint slots and queue depths too.
 */
const invalidates: Record<LiveKind, readonly QueryKey[]> = {
  run: [["board"], ["resources"], ["scheduling"]],
  flashcard: [["flashcards"]],
  resources: [["resources"], ["scheduling"]],
  resync: [["board"], ["resources"], ["scheduling"], ["flashcards"]],
};

class LiveConnection {
  private readonly listeners = new Set<Listener>();
  private readonly healthListeners = new Set<() => void>();
  private source: EventSource | null = null;
  private healthy = false;
  private lastMessage = 0;
  private reopenMs = REOPEN_MIN_MS;
  private reopenTimer: ReturnType<typeof setTimeout> | null = null;
  private watchdog: ReturnType<typeof setInterval> | null = null;
  private hiddenTimer: ReturnType<typeof setTimeout> | null = null;
  private suspended = false;

  constructor(private readonly url: string) {}

  private onVisibility = () => {
    if (document.visibilityState === "hidden") {
      this.hiddenTimer ??= setTimeout(() => {
        this.hiddenTimer = null;
        this.suspended = true;
        if (this.reopenTimer) clearTimeout(this.reopenTimer);
        this.reopenTimer = null;
        this.source?.close();
        this.source = null;
        this.setHealthy(false);
      }, HIDDEN_CLOSE_MS);
      return;
    }
    if (this.hiddenTimer) clearTimeout(this.hiddenTimer);
    this.hiddenTimer = null;
    if (this.suspended) {
      this.suspended = false;
      this.open();
    }
  };

  start() {
    this.suspended = false;
    document.addEventListener("visibilitychange", this.onVisibility);
    this.open();
    // Opened in a background tab: the hidden countdown starts now.
    if (document.visibilityState === "hidden") this.onVisibility();
    this.watchdog = setInterval(() => {
      if (this.source && this.healthy && Date.now() - this.lastMessage > SILENCE_MS) this.reopenLater(0);
    }, SILENCE_MS / 4);
  }

  stop() {
    document.removeEventListener("visibilitychange", this.onVisibility);
    if (this.hiddenTimer) clearTimeout(this.hiddenTimer);
    if (this.watchdog) clearInterval(this.watchdog);
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    this.source?.close();
    this.source = null;
    this.setHealthy(false);
  }

  private open() {
    this.reopenTimer = null;
    if (this.suspended) return;
    const source = new EventSource(this.url);
    this.source = source;
    const seen = () => {
      this.lastMessage = Date.now();
    };
    // Connected (first time or again): whatever changed while we were not listening is
    // unknown, so every live view refetches once — this is the whole of the reconnect protocol.
    source.addEventListener("ready", () => {
      seen();
      this.reopenMs = REOPEN_MIN_MS;
      this.setHealthy(true);
      this.emit({ kind: "resync", id: "" });
    });
    source.addEventListener("ping", seen);
    for (const kind of kinds)
      source.addEventListener(kind, (event) => {
        seen();
        this.emit({ kind, id: (event as MessageEvent<string>).data });
      });
    source.onerror = () => {
      this.setHealthy(false);
      // CONNECTING: EventSource retries by itself after the server's retry: delay. CLOSED: it gave up.
      if (source.readyState === EventSource.CLOSED) this.reopenLater(this.reopenMs);
    };
  }

  private reopenLater(ms: number) {
    this.source?.close();
    this.source = null;
    this.setHealthy(false);
    if (this.reopenTimer) return;
    this.reopenTimer = setTimeout(() => this.open(), ms);
    this.reopenMs = Math.min(this.reopenMs * 2, REOPEN_MAX_MS);
  }

  private setHealthy(next: boolean) {
    if (this.healthy === next) return;
    this.healthy = next;
    for (const fn of this.healthListeners) fn();
  }

  private emit(message: LiveMessage) {
    for (const fn of this.listeners) fn(message);
  }

  subscribe = (fn: Listener) => {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  };

  subscribeHealth = (fn: () => void) => {
    this.healthListeners.add(fn);
    return () => void this.healthListeners.delete(fn);
  };

  isHealthy = () => this.healthy;
}

const LiveContext = createContext<LiveConnection | null>(null);
const offline = () => false;
const noSubscribe = () => () => {};

/**
 * One EventSource per tab (GET /api/events) for every live view under it. Each event
 * invalidates the react-query data of its kind (coalesced per query); server-rendered
 * views subscribe with useLiveEvents. Polling stays on as the fallback: views poll at
 * their old pace while the stream is down and slowly (usePollInterval) while it is healthy.
 */
export function LiveEventsProvider({ children, url = "/api/events" }: { children: ReactNode; url?: string }) {
  const [connection] = useState(() => new LiveConnection(url));
  const queryClient = useQueryClient();
  useEffect(() => {
    const coalescers = new Map<string, ReturnType<typeof createCoalescer>>();
    const refetch = (key: QueryKey) => {
      const id = JSON.stringify(key);
      let c = coalescers.get(id);
      if (!c) {
        // cancelRefetch false: a fetch in flight is kept, and the coalescer runs once more after it.
        c = createCoalescer(
          () => queryClient.invalidateQueries({ queryKey: key }, { cancelRefetch: false }),
          REFETCH_GAP_MS,
        );
        coalescers.set(id, c);
      }
      c.trigger();
    };
    const unsubscribe = connection.subscribe((message) => invalidates[message.kind].forEach(refetch));
    connection.start();
    return () => {
      unsubscribe();
      connection.stop();
      for (const c of coalescers.values()) c.stop();
    };
  }, [connection, queryClient]);
  return <LiveContext.Provider value={connection}>{children}</LiveContext.Provider>;
}

/** True while the stream is open and pinging; false outside a provider and during server rendering. */
export function useLiveHealthy(): boolean {
  const connection = useContext(LiveContext);
  return useSyncExternalStore(connection?.subscribeHealth ?? noSubscribe, connection?.isHealthy ?? offline, offline);
}

/**
 * A react-query refetchInterval for the fallback poll: `pollMs` (the old pace) when the stream
 * is down or the query's last fetch failed, `liveMs` while the stream is healthy. A failed
 * fetch counts because the event that triggered it is spent: waiting `liveMs` for the next
 * try would leave a change unseen that long.
 */
export function usePollInterval(pollMs: number, liveMs: number): (query: { state: { status: string } }) => number {
  const healthy = useLiveHealthy();
  return useCallback(
    (query: { state: { status: string } }) => (healthy && query.state.status !== "error" ? liveMs : pollMs),
    [healthy, pollMs, liveMs],
  );
}

/** Calls `onEvent` for each event of these kinds (ids included), coalesced to one call per `gapMs`. */
export function useLiveEvents(accept: (message: LiveMessage) => boolean, onEvent: () => void, gapMs = REFETCH_GAP_MS) {
  const connection = useContext(LiveContext);
  const latest = useRef({ accept, onEvent });
  useEffect(() => {
    latest.current = { accept, onEvent };
  });
  useEffect(() => {
    if (!connection) return;
    const coalescer = createCoalescer(() => latest.current.onEvent(), gapMs);
    const unsubscribe = connection.subscribe((message) => {
      if (latest.current.accept(message)) coalescer.trigger();
    });
    return () => {
      unsubscribe();
      coalescer.stop();
    };
  }, [connection, gapMs]);
}

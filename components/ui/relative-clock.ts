"use client";

import { useSyncExternalStore } from "react";

const TICK_MS = 30_000;

// One interval for every RelativeTime on the page: a board with thousands of cards must
// not run thousands of timers.
let now = Math.floor(Date.now() / 1000) * 1000;
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function tick(): void {
  now = Math.floor(Date.now() / 1000) * 1000;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === undefined) {
    // The clock may have been idle (no subscribers) for a while; catch up immediately.
    tick();
    timer = setInterval(tick, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

const getSnapshot = (): number => now;
const getServerSnapshot = (): number => (typeof window === "undefined" ? Math.floor(Date.now() / 1000) * 1000 : now);

/** Current time in ms, re-rendering subscribers every 30 seconds. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
}

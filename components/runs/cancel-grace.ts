"use client";

/**
 * A board cancel waits CANCEL_GRACE_MS before it is sent, so a misfired `c`, menu click or
 * drop can be undone (cancelled is final on the server). Kept outside React: leaving the
 * board does not drop a cancel, and closing the tab sends every waiting one at once.
 */
export const CANCEL_GRACE_MS = 5_000;

interface Waiting {
  timer: ReturnType<typeof setTimeout>;
  send: () => void;
  /** The request went out on page exit: the board settles the card if the page comes back (bfcache). */
  sentOnExit?: () => void;
}

const waiting = new Map<string, Waiting>();
let listening = false;

/** The tab is going away: what the user asked for still happens (keepalive outlives the page). */
function sendAllOnExit(): void {
  for (const [runId, entry] of waiting) {
    clearTimeout(entry.timer);
    waiting.delete(runId);
    fetch(`/api/runs/${encodeURIComponent(runId)}/cancel`, {
      method: "POST",
      keepalive: true,
      credentials: "same-origin",
      headers: { "content-type": "application/json" },
      body: "{}",
    }).catch(() => {
      // The page is going away; a restored page reads the run's real state from the board feed.
    });
    entry.sentOnExit?.();
  }
}

export function deferCancel(
  runId: string,
  send: () => void,
  options: { graceMs?: number; sentOnExit?: () => void } = {},
): void {
  const graceMs = options.graceMs ?? CANCEL_GRACE_MS;
  if (waiting.has(runId)) return;
  if (!listening && typeof window !== "undefined") {
    window.addEventListener("pagehide", sendAllOnExit);
    listening = true;
  }
  const timer = setTimeout(() => {
    waiting.delete(runId);
    send();
  }, graceMs);
  waiting.set(runId, { timer, send, sentOnExit: options.sentOnExit });
}

/** True when the cancel had not been sent yet and now never will be. */
export function undoCancel(runId: string): boolean {
  const entry = waiting.get(runId);
  if (!entry) return false;
  clearTimeout(entry.timer);
  waiting.delete(runId);
  return true;
}

export function cancelWaiting(runId: string): boolean {
  return waiting.has(runId);
}

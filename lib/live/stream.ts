import "server-only";
import { authorize } from "@/lib/auth/dal";
import type { Permission } from "@/lib/auth/policy";
import type { Principal } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import type { LiveKind } from "./channel";
import type { LiveEvent, LiveHub } from "./hub";

/** EventSource waits this long before reconnecting after the stream drops (its `retry:` field). */
export const LIVE_RETRY_MS = 2_000;
/**
 * A `ping` event this often: proxies and load balancers close connections idle for 30–60 s, and
 * the browser uses the pings to tell a healthy stream from a silently dead one.
 */
export const LIVE_HEARTBEAT_MS = 15_000;

/**
 * A stream ends after this long (plus up to a minute, so tabs opened together do not come back
 * together) and EventSource reconnects: the reconnect authorizes the caller again, so a revoked
 * token or an ended session stops receiving events within this bound.
 */
export const LIVE_MAX_AGE_MS = 10 * 60_000;

/** Who may be told that a thing of this kind changed: whoever may read it through its API. */
const kindPermission: Record<LiveKind, Permission> = {
  run: "runs.read",
  flashcard: "flashcards.read",
  resources: "resources.read",
};

function allows(principal: Principal, permission: Permission): boolean {
  try {
    authorize(principal, permission);
    return true;
  } catch {
    return false;
  }
}

/** One event in the text/event-stream format; ids are ours (no newlines), so one data line. */
export function formatEvent(event: LiveEvent): string {
  return `event: ${event.kind}\ndata: ${event.id.replace(/[\r\n]/g, "")}\n\n`;
}

/**
 * The stream of one caller: kinds and ids of changes they may read, a `ping` every
 * heartbeat, until the client goes away (request.signal, or the body being cancelled),
 * which unsubscribes it from the hub at once. No Last-Event-ID replay: a reconnecting
 * browser refetches what it shows once (the `ready` event) and carries on.
 */
export async function openLiveStream(
  hub: LiveHub,
  principal: Principal,
  signal: AbortSignal,
  options: { heartbeatMs?: number; maxAgeMs?: number } = {},
): Promise<Response> {
  const readable = (Object.keys(kindPermission) as LiveKind[]).filter((k) => allows(principal, kindPermission[k]));
  const encoder = new TextEncoder();
  let controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  let maxAge: NodeJS.Timeout | null = null;
  let unsubscribe: (() => void) | null = null;
  let done = false;

  const send = (text: string) => {
    if (done || !controller) return;
    try {
      controller.enqueue(encoder.encode(text));
    } catch {
      cleanup();
    }
  };
  const cleanup = () => {
    if (done) return;
    done = true;
    if (heartbeat) clearInterval(heartbeat);
    if (maxAge) clearTimeout(maxAge);
    unsubscribe?.();
    signal.removeEventListener("abort", cleanup);
    try {
      controller?.close();
    } catch {
      // Already closed or errored by the consumer.
    }
  };

  unsubscribe = await hub.subscribe((event) => {
    if (event.kind === "resync" || readable.includes(event.kind)) send(formatEvent(event));
  });
  if (!unsubscribe)
    throw new AppError("too_many_requests", "Too many live streams on this server; polling continues", {
      retryAfterSeconds: 30,
    });
  if (signal.aborted) {
    cleanup();
    return new Response(null, { status: 204 });
  }
  signal.addEventListener("abort", cleanup);

  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      // A comment first so the headers and first bytes leave at once (some proxies wait for a body).
      send(`: flightdeck live\nretry: ${LIVE_RETRY_MS}\n\n`);
      send(`event: ready\ndata: ${readable.join(",")}\n\n`);
    },
    cancel: cleanup,
  });
  heartbeat = setInterval(() => send("event: ping\ndata: \n\n"), options.heartbeatMs ?? LIVE_HEARTBEAT_MS);
  heartbeat.unref();
  maxAge = setTimeout(cleanup, options.maxAgeMs ?? LIVE_MAX_AGE_MS + Math.random() * 60_000);
  maxAge.unref();

  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      // no-transform: no compression middleware may buffer the stream.
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
}

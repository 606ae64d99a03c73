import "server-only";
import type { Client, ClientConfig } from "pg";

export interface Listener {
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/**
 * LISTEN on one dedicated connection that comes back by itself: when the connection dies
 * (backend terminated, Postgres restarted) it reconnects with backoff and LISTENs again on
 * every channel, then tells each subscriber with an empty payload that notifications may
 * have been missed meanwhile (the worker treats any payload as "look for work"), so a lost
 * notification costs at most one poll interval. postgres.js re-LISTENs once after a drop and
 * gives up silently if that fails; this does not give up.
 */
export function createListener(config: ClientConfig, onError: (message: string) => void = () => {}): Listener {
  const channels = new Map<string, Set<(payload: string) => void>>();
  let client: Client | null = null;
  let connecting: Promise<Client> | null = null;
  let closed = false;
  let retryTimer: NodeJS.Timeout | null = null;
  let delay = 100;

  const quote = (channel: string) => `"${channel.replace(/"/g, '""')}"`;

  async function open(): Promise<Client> {
    const { default: pg } = await import("pg");
    const next = new pg.Client({ ...config, application_name: "flightdeck-listen" });
    next.on("notification", (msg) => {
      for (const fn of channels.get(msg.channel) ?? []) fn(msg.payload ?? "");
    });
    next.on("error", (error) => {
      onError(`listen connection failed: ${error.message}`);
      drop(next);
    });
    next.on("end", () => drop(next));
    await next.connect();
    for (const channel of channels.keys()) await next.query(`listen ${quote(channel)}`);
    return next;
  }

  function drop(dead: Client) {
    if (client !== dead) return;
    client = null;
    dead.end().catch(() => {});
    schedule();
  }

  function schedule() {
    if (closed || retryTimer || connecting) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      ensure()
        .then(() => {
          delay = 100;
          // Reconnected: anything sent while the connection was down was missed.
          for (const fns of channels.values()) for (const fn of fns) fn("");
        })
        .catch((error: unknown) => {
          onError(`listen reconnect failed: ${error instanceof Error ? error.message : String(error)}`);
          delay = Math.min(delay * 2, 5_000);
          schedule();
        });
    }, delay);
  }

  async function ensure(): Promise<Client> {
    if (client) return client;
    connecting ??= open().finally(() => (connecting = null));
    const next = await connecting;
    if (closed) {
      await next.end().catch(() => {});
      throw new Error("listener closed");
    }
    client = next;
    return next;
  }

  return {
    async listen(channel, onPayload) {
      const fns = channels.get(channel) ?? new Set();
      const fresh = !channels.has(channel);
      fns.add(onPayload);
      channels.set(channel, fns);
      const c = await ensure();
      if (fresh) await c.query(`listen ${quote(channel)}`);
      return async () => {
        fns.delete(onPayload);
        if (fns.size > 0) return;
        channels.delete(channel);
        await client?.query(`unlisten ${quote(channel)}`).catch(() => {});
      };
    },
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}

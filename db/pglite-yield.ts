import "server-only";
import type { PGlite } from "@electric-sql/pglite";

/**
 * PGlite's calls that queue for its one connection (they take its transaction mutex), and the ones that must stay
 * in order with them: `close` waits for the calls issued before it, which it would overtake if they yielded and it
 * did not; `listen` and `unlisten` likewise.
 */
const QUEUEING = new Set<PropertyKey>([
  "query",
  "sql",
  "exec",
  "transaction",
  "describeQuery",
  "listen",
  "unlisten",
  "close",
]);

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Embedded PGlite runs a query on this thread and resolves it as a microtask, so a caller that
 * issues queries one after another (creating 5,500 runs in a loop) never lets the event loop turn:
 * until it ends, no timer fires and no socket is read. The proof measured it: while its burst was
 * being created the worker started 4 turns in 19 s and the sealer sealed nothing, then both caught up
 * at once and every run created meanwhile waited behind ~5,500 events being sealed. Each queueing
 * call yields one event-loop turn first, so the timers due by then (a worker's claim, the sealer's
 * batch) queue for the connection beside it, and the mutex (first come, first served) takes turns.
 * Calls inside a transaction go through its own handle and do not yield: the connection is theirs. One long
 * statement or transaction still holds the thread for its whole length; what yields is the space between them.
 * Immediates run first in, first out, so calls keep the order they were issued in.
 */
export function yieldingPglite(client: PGlite): PGlite {
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      // PGlite keeps its state in private fields: its methods must run with the instance as `this`.
      const bound = (value as (...args: unknown[]) => unknown).bind(target);
      if (!QUEUEING.has(property)) return bound;
      return async (...args: unknown[]) => {
        await nextTurn();
        return bound(...args);
      };
    },
  });
}

import "server-only";

/** A background loop of database batches: the sealer's and the search indexer's. */
export interface BatchLoop<R> {
  /** The batch running now, if any (drain waits for it before running its own). */
  running(): Promise<R | null> | null;
  /** No batch starts after this; resolves when the running one has ended. */
  stop(): Promise<void>;
}

/**
 * Runs `batch` at once, then every `intervalMs`, and again without waiting while batches come
 * back full (a backlog). A batch that throws is reported and the loop goes on at the interval.
 * `batch` answers null when another instance holds the work's lock.
 */
export function startBatchLoop<R>(options: {
  batch: () => Promise<R | null>;
  full: (result: R) => boolean;
  intervalMs: number;
  onError: (error: unknown) => void;
}): BatchLoop<R> {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<R | null> | null = null;

  const tick = async () => {
    timer = null;
    if (stopped) return;
    let again = false;
    try {
      current = options.batch();
      const result = await current;
      again = result !== null && options.full(result);
    } catch (error) {
      options.onError(error);
    } finally {
      current = null;
    }
    if (!stopped) timer = setTimeout(() => void tick(), again ? 0 : options.intervalMs);
  };
  timer = setTimeout(() => void tick(), 0);

  return {
    running: () => current,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current?.catch(() => null);
    },
  };
}

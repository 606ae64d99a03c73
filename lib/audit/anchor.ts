import "server-only";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * Anchoring checkpoints outside the database: one file per checkpoint in a directory
 * (named by zero-padded tree size, written exclusively, never overwritten) and a POST to
 * a witness URL. Both run after the sealing transaction commits and never block it: the
 * witness queue retries with exponential backoff and, when the witness stays down, keeps
 * only the newest checkpoint (a witness checks consistency from what it saw last).
 */
export function anchorFileName(treeSize: number): string {
  return `checkpoint-${String(treeSize).padStart(16, "0")}.txt`;
}

export async function writeAnchorFile(dir: string, treeSize: number, note: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  try {
    await writeFile(path.join(dir, anchorFileName(treeSize)), note, { flag: "wx" });
  } catch (error) {
    // The same size is only ever signed with the same root by this log; a second sealer
    // that lost a race re-signs nothing, so an existing file is already the anchor.
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}

/** Every anchored note in the directory, oldest first. */
export async function readAnchorFiles(dir: string): Promise<{ file: string; note: string }[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const files = names.filter((n) => /^checkpoint-\d+\.txt$/.test(n)).sort();
  return Promise.all(files.map(async (file) => ({ file, note: await readFile(path.join(dir, file), "utf8") })));
}

export interface WitnessQueue {
  push(note: string): void;
  /** Resolves when nothing is pending or in flight (tests, shutdown). */
  idle(): Promise<void>;
  stop(): void;
}

export function witnessQueue(
  url: string,
  options: { onError?: (message: string) => void; baseDelayMs?: number; maxDelayMs?: number } = {},
): WitnessQueue {
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 60_000;
  let pending: string | null = null;
  let running = false;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const idleWaiters: (() => void)[] = [];
  const settle = () => {
    if (pending === null && !running) for (const w of idleWaiters.splice(0)) w();
  };

  const attempt = async (delay: number) => {
    timer = null;
    if (stopped || pending === null) return settle();
    const note = pending;
    running = true;
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "text/plain; charset=utf-8" },
        body: note,
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) throw new Error(`witness answered ${res.status}`);
      if (pending === note) pending = null;
      running = false;
      if (pending !== null) timer = setTimeout(() => void attempt(base), 0);
    } catch (error) {
      running = false;
      options.onError?.(error instanceof Error ? error.message : String(error));
      if (!stopped) timer = setTimeout(() => void attempt(Math.min(max, delay * 2)), delay);
    }
    settle();
  };

  return {
    push(note) {
      pending = note;
      if (!running && timer === null && !stopped) timer = setTimeout(() => void attempt(base), 0);
    },
    idle: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        settle();
      }),
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      pending = null;
      settle();
    },
  };
}

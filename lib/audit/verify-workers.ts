import "server-only";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Worker as WorkerType } from "node:worker_threads";
import type { ChunkResult } from "./verify-chunk";
import type { ChunkRequest } from "./verify-chunk-thread";

export interface WorkerChunksOptions {
  url: string;
  threads: number;
  maxSeq: number;
  chunkSize: number;
  macKey: Buffer;
}

/** Ranges queued per thread: one being hashed, one being read by Postgres. */
const DEPTH = 2;

type Reply = { index: number; chunk: ChunkResult } | { index: number; error: string };

/**
 * The chunks of seqs 1 … maxSeq, checked by `threads` worker threads (each with its own
 * connection) and yielded in seq order. Chunk i goes to thread i mod threads; at most
 * threads × DEPTH chunks are requested ahead of the one being folded, so memory stays
 * bounded however long the log. Returning early (a bad seq) stops the threads.
 */
export async function* workerChunks(options: WorkerChunksOptions): AsyncGenerator<ChunkResult, void, undefined> {
  const { threads, maxSeq, chunkSize } = options;
  const total = Math.ceil(maxSeq / chunkSize);
  const workers = Array.from({ length: Math.min(threads, total) }, () => startWorker(options));
  const done = new Map<number, ChunkResult>();
  let waiting: { index: number; resolve: (chunk: ChunkResult) => void; reject: (error: Error) => void } | null = null;
  let failure: Error | null = null;
  const fail = (error: Error) => {
    failure ??= error;
    waiting?.reject(failure);
  };
  for (const worker of workers) {
    worker.on("message", (reply: Reply) => {
      if ("error" in reply) return fail(new Error(`audit verification worker: ${reply.error}`));
      if (waiting?.index === reply.index) waiting.resolve(reply.chunk);
      else done.set(reply.index, reply.chunk);
    });
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`audit verification worker exited with code ${code}`)));
  }
  const request = (index: number) => {
    if (index >= total) return;
    const after = index * chunkSize;
    const message: ChunkRequest = { index, after, upTo: Math.min(after + chunkSize, maxSeq) };
    workers[index % workers.length]?.postMessage(message);
  };
  const take = (index: number): Promise<ChunkResult> => {
    const chunk = done.get(index);
    if (chunk) {
      done.delete(index);
      return Promise.resolve(chunk);
    }
    if (failure) return Promise.reject(failure);
    return new Promise((resolve, reject) => {
      waiting = { index, resolve, reject };
    }).finally(() => {
      waiting = null;
    }) as Promise<ChunkResult>;
  };
  try {
    for (let i = 0; i < workers.length * DEPTH; i += 1) request(i);
    for (let index = 0; index < total; index += 1) {
      const chunk = await take(index);
      request(index + workers.length * DEPTH);
      yield chunk;
    }
  } finally {
    await Promise.all(workers.map(stopWorker));
  }
}

function startWorker(options: WorkerChunksOptions): WorkerType {
  // Paths computed at run time, as in verify-guard.ts: the thread runs the repository's
  // TypeScript through tsx, outside any bundle.
  const root = process.cwd();
  const entry = path.join(root, "scripts", "lib", "ts-worker.mjs");
  const file = pathToFileURL(path.join(root, "lib", "audit", "verify-chunk-thread.ts")).href;
  const { Worker } = process.getBuiltinModule("node:worker_threads") as { Worker: typeof WorkerType };
  return new Worker(entry, {
    workerData: { file, url: options.url, macKey: new Uint8Array(options.macKey) },
    execArgv: ["--conditions=react-server"],
    resourceLimits: { maxOldGenerationSizeMb: 256 },
  });
}

/** Lets the thread close its connection; terminates it if that takes too long. */
async function stopWorker(worker: WorkerType): Promise<void> {
  worker.removeAllListeners();
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  worker.on("error", () => {});
  worker.postMessage("close");
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), 2_000)));
  if ((await Promise.race([exited, late])) === "late") await worker.terminate();
  clearTimeout(timer);
}

import "server-only";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Worker as WorkerType } from "node:worker_threads";
import type { ChunkResult } from "./verify-chunk";
import type { ChunkRequest } from "./verify-chunk-thread";
import { rangesInOrder, type SeqRange } from "./verify-ranges";
import { stopThread, watchThread } from "./verify-thread-stop";

export interface WorkerChunksOptions {
  url: string;
  threads: number;
  maxSeq: number;
  chunkSize: number;
  macKey: Buffer;
  files: RangeThreadFiles;
}

/** Ranges queued per thread: one being hashed, one being read by Postgres. */
const DEPTH = 2;

type Reply = { index: number; chunk: ChunkResult } | { index: number; error: string };

/**
 * The chunks of seqs 1 … maxSeq, checked by `threads` worker threads (each with its own
 * connection) and yielded in seq order. Chunk i goes to thread i mod threads; at most
 * threads × DEPTH chunks are requested ahead of the one being folded, so memory stays
 * bounded however long the log. A range's error reply fails that range alone (raised
 * when the fold reaches it, verify-ranges.ts); a thread that dies fails every range still
 * waiting. Returning early (a bad seq) stops the threads.
 */
export async function* workerChunks(options: WorkerChunksOptions): AsyncGenerator<ChunkResult, void, undefined> {
  const { threads, maxSeq, chunkSize } = options;
  const total = Math.ceil(maxSeq / chunkSize);
  const running = Array.from({ length: Math.min(threads, total) }, () => watchThread(startWorker(options)));
  const workers = running.map((thread) => thread.worker);
  const waiting = new Map<number, { resolve: (chunk: ChunkResult) => void; reject: (error: Error) => void }>();
  let failure: Error | null = null;
  const failAll = (error: Error) => {
    failure ??= error;
    for (const range of waiting.values()) range.reject(failure);
    waiting.clear();
  };
  for (const worker of workers) {
    worker.on("message", (reply: Reply) => {
      const range = waiting.get(reply.index);
      waiting.delete(reply.index);
      if ("error" in reply) range?.reject(new Error(`audit verification worker: ${reply.error}`));
      else range?.resolve(reply.chunk);
    });
    worker.on("error", failAll);
    worker.on("exit", (code) => failAll(new Error(`audit verification worker exited with code ${code}`)));
  }
  const check = (range: SeqRange) =>
    new Promise<ChunkResult>((resolve, reject) => {
      if (failure) return reject(failure);
      waiting.set(range.index, { resolve, reject });
      const message: ChunkRequest = { index: range.index, after: range.after, upTo: range.upTo };
      workers[range.index % workers.length]?.postMessage(message);
    });
  try {
    yield* rangesInOrder(check, maxSeq, chunkSize, workers.length * DEPTH);
  } finally {
    await Promise.all(running.map((thread) => stopThread(thread)));
  }
}

/** The files a range thread runs: the path of its tsx entry and the file URL of its body. */
export interface RangeThreadFiles {
  entry: string;
  file: string;
}

/**
 * Where the range threads' files are: found from this module's own location, so verify
 * works whatever the process's working directory. Null when they are not there (this
 * module bundled elsewhere): the caller then verifies in its own thread.
 */
export function rangeThreadFiles(moduleUrl: string = import.meta.url): RangeThreadFiles | null {
  const here = path.dirname(fileURLToPath(moduleUrl));
  const entry = path.join(here, "..", "..", "scripts", "lib", "ts-worker.mjs");
  const file = path.join(here, "verify-chunk-thread.ts");
  return existsSync(entry) && existsSync(file) ? { entry, file: pathToFileURL(file).href } : null;
}

function startWorker(options: WorkerChunksOptions): WorkerType {
  // The thread runs the repository's TypeScript through tsx, outside any bundle.
  const { entry, file } = options.files;
  const { Worker } = process.getBuiltinModule("node:worker_threads") as { Worker: typeof WorkerType };
  return new Worker(entry, {
    workerData: { file, url: options.url, macKey: new Uint8Array(options.macKey) },
    execArgv: ["--conditions=react-server"],
    resourceLimits: { maxOldGenerationSizeMb: 256 },
  });
}

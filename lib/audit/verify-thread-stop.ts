import "server-only";
import type { Worker } from "node:worker_threads";

/** A range thread and whether it still runs (known from its exit event). */
export interface RangeThread {
  worker: Worker;
  running: boolean;
}

/** Follows `worker` from its start, so stopping it later knows whether it already exited. */
export function watchThread(worker: Worker): RangeThread {
  const thread = { worker, running: true };
  worker.once("exit", () => {
    thread.running = false;
  });
  return thread;
}

/** Lets the thread close its connection; terminates it if that takes too long. */
export async function stopThread(thread: RangeThread, graceMs = 2_000): Promise<void> {
  const { worker } = thread;
  worker.removeAllListeners();
  worker.on("error", () => {});
  // A thread that already exited (it crashed, or failed to start) has no exit left to wait for.
  if (!thread.running) return;
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  worker.postMessage("close");
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), graceMs)));
  if ((await Promise.race([exited, late])) === "late") await worker.terminate();
  clearTimeout(timer);
  // Its own exit listener went with the others above.
  thread.running = false;
}

import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { stopThread, watchThread } from "@/lib/audit/verify-thread-stop";

describe("stopping a range thread", () => {
  it("does not wait for the exit of a thread that already exited", async () => {
    const thread = watchThread(new Worker("", { eval: true }));
    await new Promise((resolve) => thread.worker.once("exit", resolve));
    const started = performance.now();
    await stopThread(thread, 5_000);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("terminates a thread that does not close within the grace period", async () => {
    // Never listens for "close": only terminate() ends it.
    const thread = watchThread(new Worker("setInterval(() => {}, 1000)", { eval: true }));
    await new Promise((resolve) => thread.worker.once("online", resolve));
    await stopThread(thread, 50);
    expect(thread.running).toBe(false);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createCoalescer } from "@/components/live/coalesce";

describe("createCoalescer", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("runs at once, then folds a burst into one more run after the gap", async () => {
    let runs = 0;
    const c = createCoalescer(() => {
      runs++;
    }, 100);
    c.trigger();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(1);
    for (let i = 0; i < 50; i++) c.trigger();
    await vi.advanceTimersByTimeAsync(50);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(60);
    expect(runs).toBe(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(2);
  });

  it("runs again after a slow run when triggered during it", async () => {
    let runs = 0;
    const c = createCoalescer(async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 300));
    }, 100);
    c.trigger();
    await vi.advanceTimersByTimeAsync(10);
    c.trigger();
    c.trigger();
    await vi.advanceTimersByTimeAsync(300);
    expect(runs).toBe(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(2);
    c.stop();
  });
});

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `probe` answers true or `capMs` passes; answers whether it became true. */
export async function until(probe: () => Promise<boolean>, capMs: number, everyMs = 250): Promise<boolean> {
  const end = Date.now() + capMs;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() > end) return false;
    await sleep(everyMs);
  }
}

export const TERMINAL = ["succeeded", "failed", "cancelled", "timed_out"] as const;

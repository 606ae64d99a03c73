/**
 * Runs `task` at once on the first trigger, then at most once per `gapMs`; triggers that
 * arrive while it runs or within the gap fold into one more run after it. A burst of a
 * thousand events costs a handful of refetches, and the last change is never left unseen:
 * a trigger during a run always schedules a run that starts after it.
 */
export function createCoalescer(task: () => Promise<unknown> | void, gapMs: number) {
  let running = false;
  let dirty = false;
  let lastStart = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  const start = () => {
    timer = null;
    if (stopped) return;
    running = true;
    dirty = false;
    lastStart = Date.now();
    Promise.resolve()
      .then(task)
      .catch(() => {
        // The query shows its own error state; the next event or poll tries again.
      })
      .finally(() => {
        running = false;
        if (dirty) trigger();
      });
  };

  function trigger() {
    if (stopped) return;
    if (running) {
      dirty = true;
      return;
    }
    if (timer) return;
    const wait = lastStart + gapMs - Date.now();
    if (wait <= 0) start();
    else timer = setTimeout(start, wait);
  }

  return {
    trigger,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

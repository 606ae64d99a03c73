/**
 * What a FIFO queue would have done with the same arrival trace: the recorded turns replayed
 * through `slots` servers in arrival order, each taking the time it really took. A run's next
 * turn arrives when its previous turn finishes in the replay (plus the gap the real run had
 * between them, e.g. a quota wait), so the replay respects each run's own order.
 */
export interface TracedTurn {
  runId: string;
  index: number;
  key: string;
  /** When the turn became runnable (enqueue, or the previous turn's end), ms. */
  arrivedAt: number;
  startedAt: number;
  finishedAt: number;
}

export interface ReplayedWait {
  key: string;
  waitMs: number;
}

class MinHeap<T> {
  private items: { at: number; seq: number; value: T }[] = [];
  private seq = 0;
  get size(): number {
    return this.items.length;
  }
  push(at: number, value: T): void {
    const items = this.items;
    items.push({ at, seq: this.seq++, value });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }
  pop(): { at: number; value: T } | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined) return undefined;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.less(l, m)) m = l;
        if (r < items.length && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return { at: top.at, value: top.value };
  }
  private less(a: number, b: number): boolean {
    const x = this.items[a];
    const y = this.items[b];
    if (!x || !y) return false;
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }
  private swap(a: number, b: number): void {
    const x = this.items[a];
    const y = this.items[b];
    if (!x || !y) return;
    this.items[a] = y;
    this.items[b] = x;
  }
}

export function fifoReplay(turns: readonly TracedTurn[], slots: number): ReplayedWait[] {
  const byRun = new Map<string, TracedTurn[]>();
  for (const t of turns) byRun.set(t.runId, [...(byRun.get(t.runId) ?? []), t]);
  const queue = new MinHeap<TracedTurn>();
  for (const list of byRun.values()) {
    list.sort((a, b) => a.index - b.index);
    const first = list[0];
    if (first) queue.push(first.arrivedAt, first);
  }
  const freeAt = Array.from({ length: slots }, () => -Infinity);
  const waits: ReplayedWait[] = [];
  for (let next = queue.pop(); next; next = queue.pop()) {
    const turn = next.value;
    let server = 0;
    for (let s = 1; s < freeAt.length; s++) if ((freeAt[s] ?? 0) < (freeAt[server] ?? 0)) server = s;
    const start = Math.max(next.at, freeAt[server] ?? next.at);
    const finish = start + (turn.finishedAt - turn.startedAt);
    freeAt[server] = finish;
    waits.push({ key: turn.key, waitMs: start - next.at });
    const list = byRun.get(turn.runId) ?? [];
    const following = list[list.indexOf(turn) + 1];
    if (following) queue.push(finish + Math.max(0, following.arrivedAt - turn.finishedAt), following);
  }
  return waits;
}

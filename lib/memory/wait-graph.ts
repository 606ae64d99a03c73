/**
 * The wait-for graph of agent-level locks, as pure functions (the property test drives them
 * directly and through Postgres). Nodes are runs; an edge A → B means run A's waiting
 * request cannot be granted before run B lets go: B holds a conflicting lock on the entity,
 * or B's request for it is ahead of A's in the FIFO queue and conflicts.
 */
export type LockMode = "exclusive" | "shared";

export interface LockEntry {
  seq: number;
  entity: string;
  runId: string;
  mode: LockMode;
  status: "held" | "waiting" | "refused";
}

export interface RunRank {
  /** Higher runs first; the victim has the lowest. */
  priority: number;
  /** Epoch ms; among equal priorities the youngest (latest created) is the victim. */
  createdAt: number;
}

export function conflicts(a: LockMode, b: LockMode): boolean {
  return a === "exclusive" || b === "exclusive";
}

export interface WaitEdge {
  from: string;
  to: string;
  /** The entity `from` waits for. */
  entity: string;
  /** The seq of `from`'s waiting request. */
  seq: number;
}

export function waitEdges(entries: readonly LockEntry[]): WaitEdge[] {
  const byEntity = new Map<string, LockEntry[]>();
  for (const e of entries) {
    if (e.status === "refused") continue;
    const list = byEntity.get(e.entity) ?? [];
    list.push(e);
    byEntity.set(e.entity, list);
  }
  const edges: WaitEdge[] = [];
  for (const [entity, list] of byEntity) {
    for (const waiter of list) {
      if (waiter.status !== "waiting") continue;
      for (const other of list) {
        if (other.runId === waiter.runId) continue;
        const blocks = other.status === "held" || other.seq < waiter.seq;
        if (blocks && conflicts(waiter.mode, other.mode))
          edges.push({ from: waiter.runId, to: other.runId, entity, seq: waiter.seq });
      }
    }
  }
  return edges;
}

/**
 * Which waiting requests on one entity can be granted now, FIFO: walk the queue in seq
 * order and grant while each request is compatible with the holders and with everything
 * granted before it; stop at the first that is not, so a later shared request never
 * overtakes an earlier exclusive one (shared holders cannot starve an exclusive waiter).
 */
export function grantable(queue: readonly LockEntry[]): LockEntry[] {
  const holders = queue.filter((e) => e.status === "held");
  const waiting = queue.filter((e) => e.status === "waiting").sort((a, b) => a.seq - b.seq);
  const granted: LockEntry[] = [];
  const active = [...holders];
  for (const w of waiting) {
    if (active.some((h) => h.runId !== w.runId && conflicts(h.mode, w.mode))) break;
    granted.push(w);
    active.push(w);
  }
  return granted;
}

/** One cycle of the graph (as its edges, in order), or undefined. */
export function findCycle(edges: readonly WaitEdge[]): WaitEdge[] | undefined {
  const out = new Map<string, WaitEdge[]>();
  for (const e of edges) {
    const list = out.get(e.from) ?? [];
    list.push(e);
    out.set(e.from, list);
  }
  const state = new Map<string, "open" | "done">();
  const path: WaitEdge[] = [];
  const visit = (node: string): WaitEdge[] | undefined => {
    state.set(node, "open");
    for (const edge of out.get(node) ?? []) {
      const s = state.get(edge.to);
      if (s === "open") {
        const start = path.findIndex((p) => p.from === edge.to);
        return [...path.slice(start < 0 ? path.length : start), edge];
      }
      if (s === undefined) {
        path.push(edge);
        const found = visit(edge.to);
        if (found) return found;
        path.pop();
      }
    }
    state.set(node, "done");
    return undefined;
  };
  for (const node of [...out.keys()].sort()) {
    if (state.has(node)) continue;
    const found = visit(node);
    if (found) return found;
  }
  return undefined;
}

/** The documented victim policy: lowest priority, then youngest, then the greater run id. */
export function chooseVictim(cycle: readonly WaitEdge[], ranks: ReadonlyMap<string, RunRank>): WaitEdge {
  const rank = (runId: string): RunRank => ranks.get(runId) ?? { priority: 0, createdAt: 0 };
  let victim = cycle[0];
  if (!victim) throw new Error("empty cycle");
  for (const edge of cycle.slice(1)) {
    const a = rank(edge.from);
    const b = rank(victim.from);
    const worse =
      a.priority < b.priority ||
      (a.priority === b.priority &&
        (a.createdAt > b.createdAt || (a.createdAt === b.createdAt && edge.from > victim.from)));
    if (worse) victim = edge;
  }
  return victim;
}

export interface Deadlock {
  cycle: WaitEdge[];
  victim: WaitEdge;
}

/** A broken cycle as the lock manager reports it (audit event, flashcard). */
export interface DeadlockReport {
  deadlock: Deadlock;
  /** The refusal handed to the victim. */
  reason: string;
}

/**
 * Breaks every cycle: picks a victim per cycle, drops its waiting request from the graph,
 * and looks again until the graph is acyclic. Returns what it chose, in order.
 */
export function resolveDeadlocks(entries: readonly LockEntry[], ranks: ReadonlyMap<string, RunRank>): Deadlock[] {
  let live = entries.filter((e) => e.status !== "refused");
  const found: Deadlock[] = [];
  for (;;) {
    const cycle = findCycle(waitEdges(live));
    if (!cycle) return found;
    const victim = chooseVictim(cycle, ranks);
    found.push({ cycle, victim });
    live = live.filter((e) => e.seq !== victim.seq);
  }
}

import type { BoardJob, BoardResponse, BoardRun } from "@/lib/board";

/** A board run patched in the browser by a control the server accepted, until the feed catches up. */
export type LocalRun = BoardRun & { local?: true };

export interface BoardData {
  cursor: string;
  runs: Map<string, LocalRun>;
  jobs: Map<string, BoardJob>;
  truncated: boolean;
}

const DAY_MS = 86_400_000;
const DONE_CAP = 200;

export function fromResponse(previous: BoardData | undefined, response: BoardResponse): BoardData {
  if (response.kind === "snapshot") {
    return {
      cursor: response.cursor,
      runs: new Map(response.runs.map((r) => [r.id, r])),
      jobs: new Map(response.jobs.map((j) => [j.id, j])),
      truncated: response.truncated,
    };
  }
  if (!previous) throw new Error("a delta needs a snapshot first");
  if (response.runs.length === 0)
    return previous.cursor === response.cursor ? previous : { ...previous, cursor: response.cursor };
  let changed = false;
  const runs = new Map(previous.runs);
  for (const incoming of response.runs) {
    const existing = runs.get(incoming.id);
    // Deltas overlap, and a local patch keeps the row's old timestamp: only a newer row wins.
    if (existing && incoming.updatedAt <= existing.updatedAt) continue;
    runs.set(incoming.id, { ...incoming, retried: incoming.retried || Boolean(existing?.retried) });
    if (incoming.retryOf) markRetried(runs, incoming.retryOf);
    changed = true;
  }
  if (!changed) return { ...previous, cursor: response.cursor };
  return { ...previous, cursor: response.cursor, runs: prune(runs) };
}

function markRetried(runs: Map<string, LocalRun>, id: string): void {
  const original = runs.get(id);
  if (original && !original.retried) runs.set(id, { ...original, retried: true });
}

/** Done keeps the last day, at most 200 runs, as the snapshot does. */
function prune(runs: Map<string, LocalRun>): Map<string, LocalRun> {
  const finished = [...runs.values()].filter((r) => r.state === "succeeded" || r.state === "cancelled");
  if (finished.length <= DONE_CAP) return runs;
  const cutoff = new Date(Date.now() - DAY_MS).toISOString();
  finished.sort((a, b) => (b.finishedAt ?? "").localeCompare(a.finishedAt ?? ""));
  finished.forEach((r, i) => {
    if (i >= DONE_CAP || (r.finishedAt ?? "") < cutoff) runs.delete(r.id);
  });
  return runs;
}

/** Applies what a successful control returned, so the card stays where it landed. */
export function patchRun(data: BoardData, runId: string, patch: Partial<BoardRun>): BoardData {
  const run = data.runs.get(runId);
  if (!run) return data;
  const runs = new Map(data.runs);
  runs.set(runId, { ...run, ...patch, local: true });
  return { ...data, runs };
}

/** A retry creates a new run: show it in Queued at once; the feed fills in the rest. */
export function addRetry(data: BoardData, original: BoardRun, newId: string, state: BoardRun["state"]): BoardData {
  const runs = new Map(data.runs);
  const now = new Date().toISOString();
  runs.set(original.id, { ...original, retried: true, local: true });
  if (!runs.has(newId)) {
    runs.set(newId, {
      ...original,
      id: newId,
      state,
      reason: null,
      waitingFor: null,
      turnsUsed: 0,
      tokensUsed: 0,
      attempt: 1,
      pauseRequested: false,
      cancelRequested: false,
      retryOf: original.id,
      retried: false,
      error: null,
      outcome: null,
      createdAt: now,
      stateSince: now,
      updatedAt: original.updatedAt,
      finishedAt: null,
      local: true,
    });
  }
  return { ...data, runs };
}

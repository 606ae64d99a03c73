import type { AuditInput } from "@/lib/audit";

/**
 * Synthetic audit events shaped like the runtime's (worker turns, tool calls, run
 * transitions, sign-ins, approvals), a pure function of the index so every run of the
 * bench loads the same log. Runs advance with the index (about ten events each), so one
 * run's events sit close together in seq and time, as they do in a real log.
 *
 * Keys and values avoid anything appendAudit would rewrite (secret-looking keys, NUL),
 * so bulk-loaded rows hold exactly what appendAudit would have stored.
 */
export const USERS = 50;
const WORKERS = 8;
const JOBS = ["support-triage", "invoice-check", "kb-refresh", "lead-enrich", "ticket-summarise", "churn-watch"];

const weights: [string, number][] = [
  ["turn.completed", 300],
  ["tool.called", 240],
  ["run.running", 100],
  ["run.succeeded", 80],
  ["run.created", 80],
  ["auth.sign_in", 50],
  ["approval.requested", 30],
  ["approval.decided", 30],
  ["signal.received", 30],
  ["run.failed", 20],
  ["auth.sign_in_failed", 19],
  ["token.created", 10],
  ["job.registered", 10],
  ["user.role_changed", 1],
];
const totalWeight = weights.reduce((sum, [, w]) => sum + w, 0);

/** splitmix32-style integer hash: deterministic, well spread, cheap. */
function mix(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function pickAction(r: number): string {
  let left = r % totalWeight;
  for (const [action, w] of weights) {
    if (left < w) return action;
    left -= w;
  }
  return "turn.completed";
}

export const runId = (runIndex: number) => `run-${String(runIndex).padStart(7, "0")}`;
export const userId = (k: number) => `u-${k}`;
/** Users are skewed: a few operators cause most human events. */
const pickUser = (r: number) => Math.floor((USERS * (r % 1000) * (r % 1000)) / 1_000_000);

export function benchEvent(i: number): AuditInput {
  const r1 = mix(i);
  const r2 = mix(i ^ 0x5bd1e995);
  const action = pickAction(r1);
  const runIndex = Math.floor(i / 10);
  const run = runId(runIndex);
  const jobId = JOBS[runIndex % JOBS.length] ?? "support-triage";
  const worker = `worker-${runIndex % WORKERS}`;
  const user = userId(pickUser(r2));
  const jobAuthorization = {
    via: "job-governance",
    jobId,
    jobVersion: 1,
    authorizedBy: "lead@flightdeck.local",
    authorizedAt: "2026-11-01",
  };
  const asWorker = {
    actor: { kind: "system" as const, id: worker, label: `worker ${worker}` },
    authorization: jobAuthorization,
  };
  const asUser = {
    actor: { kind: "user" as const, id: user, label: `${user}@flightdeck.local` },
    authorization: { via: "session", role: "operator" },
  };
  const asRun = {
    actor: { kind: "run" as const, id: run, label: `run ${run}` },
    authorization: { via: "run", runId: run },
  };
  const onRun = { type: "run", id: run };
  switch (action) {
    case "turn.completed":
      return {
        ...asWorker,
        action,
        subject: onRun,
        payload: {
          jobId,
          turnId: `${run}-t${i % 10}`,
          turnIndex: i % 10,
          attempt: 1,
          workerId: worker,
          outcome: "continue",
          model: "default",
          inputTokens: 900 + (r2 % 4000),
          outputTokens: 100 + (r2 % 700),
        },
      };
    case "tool.called":
      return {
        ...asRun,
        action,
        subject: onRun,
        payload: {
          jobId,
          tool: r2 % 2 ? "http.get" : "state.write",
          turnIndex: i % 10,
          durationMs: r2 % 900,
          ok: true,
        },
      };
    case "run.running":
    case "run.succeeded":
    case "run.failed":
      return { ...asWorker, action, subject: onRun, payload: { jobId, from: "queued", attempt: 1 } };
    case "run.created":
      return {
        ...asUser,
        authorization: { ...asUser.authorization, permission: "runs.create" },
        action,
        subject: onRun,
        payload: { jobId, trigger: "manual" },
      };
    case "approval.requested":
      return {
        ...asRun,
        action,
        subject: { type: "approval", id: `appr-${runIndex}` },
        payload: { jobId, runId: run, reason: "risky tool call" },
      };
    case "approval.decided":
      return {
        ...asUser,
        action,
        subject: { type: "approval", id: `appr-${runIndex}` },
        payload: { decision: r2 % 5 ? "approve" : "reject" },
      };
    case "signal.received":
      return {
        actor: { kind: "token", id: `tok-${r2 % 7}`, label: `ingest token ${r2 % 7}` },
        authorization: { via: "api-token", role: "operator", tokenId: `tok-${r2 % 7}` },
        action,
        subject: { type: "signal", id: `sig-${r2 % 20}` },
        payload: { runs: 1 },
      };
    case "auth.sign_in_failed":
      return {
        actor: { kind: "anonymous", id: null, label: "anonymous" },
        authorization: { via: "none" },
        action,
        subject: { type: "user", id: null },
        payload: { email: `${user}@flightdeck.local` },
      };
    case "token.created":
    case "user.role_changed":
    case "auth.sign_in":
      return {
        ...asUser,
        action,
        subject: { type: "user", id: user },
        payload: action === "user.role_changed" ? { from: "operator", to: "lead" } : {},
      };
    default:
      return {
        actor: { kind: "system", id: "registry", label: "job registry" },
        authorization: { via: "system" },
        action,
        subject: { type: "job", id: jobId },
        payload: { version: 1 },
      };
  }
}

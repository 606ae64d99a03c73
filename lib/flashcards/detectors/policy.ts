import type { RaiseInput } from "../types";

const WHAT: Record<string, string> = {
  "tool.policy_violation": "asked for a tool it is not allowed",
  "tool.invalid_input": "sent arguments that do not match the tool's schema",
  "workspace.escape_refused": "tried to reach outside its workspace",
  "workspace.quota_exceeded": "ran out of workspace quota",
  "tool.lease_lost": "was written to by a worker that had lost its lease (a zombie worker; nothing was written)",
};

/**
 * Policy detector, at the gateway's refusal: one card per job, tool and kind of refusal
 * while open (five identical violations → one card, count 5). Pure.
 */
export function detectPolicy(refusal: {
  action: string;
  runId: string;
  jobId: string;
  tool: string;
  callKey: string;
  error: string | undefined;
  input: unknown;
}): RaiseInput {
  const what = WHAT[refusal.action] ?? `was refused (${refusal.action})`;
  const escape = refusal.action === "workspace.escape_refused" || refusal.action === "tool.policy_violation";
  return {
    kind: "policy",
    fingerprint: `policy:${refusal.jobId}:${refusal.tool}:${refusal.action}`,
    severity: escape ? "critical" : "warning",
    title: `${refusal.jobId}: a run ${what} (${refusal.tool})`,
    why: `The tool gateway refused ${refusal.tool}: ${refusal.error ?? refusal.action}. The refusal went back to the model; repeated refusals suggest a prompt or declaration problem.`,
    runId: refusal.runId,
    jobId: refusal.jobId,
    entity: refusal.tool,
    evidence: [
      { type: "run", id: refusal.runId },
      { type: "tool_call", id: refusal.callKey },
    ],
    details: { action: refusal.action, tool: refusal.tool, input: refusal.input, error: refusal.error ?? null },
  };
}

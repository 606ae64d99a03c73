import "server-only";

export interface ToolQuotaRequest {
  runId: string;
  jobId: string;
  tool: string;
  sideEffect: string;
}

export type ToolQuotaDecision =
  | { allowed: true }
  /** The call waits: the turn ends with outcome wait/resource and the call runs on a later turn. */
  | { allowed: false; resource: string; reason: string };

/**
 * The tool-quota hook of the wrapper. Placeholder until resource arbitration (calls/min per
 * tool quota, acquired in Postgres) fills it: every call is allowed.
 */
export async function checkToolQuota(request: ToolQuotaRequest): Promise<ToolQuotaDecision> {
  void request;
  return { allowed: true };
}

import "server-only";
import { getJobDefinition } from "@/lib/jobs";

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "30m" → 1_800_000. The declaration schema has already checked the shape. */
export function durationMs(duration: string): number {
  const match = /^([1-9][0-9]*)(s|m|h|d)$/.exec(duration);
  if (!match) throw new Error(`not a duration: ${duration}`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

export interface ApprovalPolicy {
  expiresAt: Date | null;
  onExpiry: "approve" | "reject" | null;
  /** Risk "high": two different people approve. */
  approvalsRequired: number;
}

/** The approval policy a new approval card carries: the job's declared expiry and the run's risk. */
export function approvalPolicyFor(jobId: string, riskLevel: unknown, now = Date.now()): ApprovalPolicy {
  const declared = getJobDefinition(jobId)?.approval;
  return {
    expiresAt: declared ? new Date(now + durationMs(declared.expiresAfter)) : null,
    onExpiry: declared ? declared.onExpiry : null,
    approvalsRequired: riskLevel === "high" ? 2 : 1,
  };
}

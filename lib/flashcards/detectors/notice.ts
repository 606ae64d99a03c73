import type { RaiseInput } from "../types";

/**
 * A run's own warning (the notify tool at level warning or critical — e.g. the nightly
 * SLA sweep's "2 tickets past SLA"): one card per job and title while open. Pure.
 */
export function detectNotice(n: {
  runId: string;
  jobId: string;
  level: string;
  title: string;
  message: string;
  notificationId: string;
}): RaiseInput | null {
  if (n.level !== "warning" && n.level !== "critical") return null;
  return {
    kind: "notice",
    fingerprint: `notice:${n.jobId}:${n.title}`,
    severity: n.level === "critical" ? "critical" : "warning",
    title: n.title,
    why: `A ${n.jobId} run raised a ${n.level}: ${n.message.split("\n")[0] ?? n.title}`,
    runId: n.runId,
    jobId: n.jobId,
    evidence: [{ type: "run", id: n.runId }],
    details: { level: n.level, message: n.message, notificationId: n.notificationId },
  };
}

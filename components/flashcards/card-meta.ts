import type { BadgeTone } from "@/components/ui/badge";

export const kindLabels: Record<string, string> = {
  approval: "Approval",
  budget: "Budget",
  failures: "Failures",
  policy: "Policy violation",
  stuck: "Stuck run",
  anomaly: "Anomaly",
  notice: "Run warning",
  deadline: "Deadline",
  deadlock: "Deadlock",
};

export const severityTone: Record<string, BadgeTone> = { info: "info", warning: "warning", critical: "danger" };

export const stateTone: Record<string, BadgeTone> = {
  open: "accent",
  snoozed: "violet",
  approved: "success",
  rejected: "danger",
  dismissed: "neutral",
  expired: "warning",
  withdrawn: "neutral",
};

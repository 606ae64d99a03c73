import type { RunState } from "@/db/schema";
import { Badge, type BadgeTone } from "./badge";

const presentation: Record<RunState, { label: string; tone: BadgeTone; live?: boolean }> = {
  queued: { label: "Queued", tone: "neutral" },
  running: { label: "Running", tone: "info", live: true },
  waiting: { label: "Waiting", tone: "warning" },
  paused: { label: "Paused", tone: "violet" },
  succeeded: { label: "Succeeded", tone: "success" },
  failed: { label: "Failed", tone: "danger" },
  cancelled: { label: "Cancelled", tone: "neutral" },
  timed_out: { label: "Timed out", tone: "danger" },
};

export function runStateTone(state: RunState): BadgeTone {
  return presentation[state].tone;
}

export function RunStateBadge({ state, className }: { state: RunState; className?: string }) {
  const { label, tone, live } = presentation[state];
  return (
    <Badge tone={tone} dot={live ? "pulse" : true} className={className}>
      {label}
    </Badge>
  );
}

import { Badge, type BadgeTone } from "./badge";

/** The governance risk levels a job declares (DESIGN.md, "Job declaration"). */
export type RiskLevel = "minimal" | "limited" | "high";

const presentation: Record<RiskLevel, { label: string; tone: BadgeTone }> = {
  minimal: { label: "Minimal risk", tone: "neutral" },
  limited: { label: "Limited risk", tone: "warning" },
  high: { label: "High risk", tone: "danger" },
};

export function RiskBadge({ level, className }: { level: RiskLevel; className?: string }) {
  const { label, tone } = presentation[level];
  return (
    <Badge tone={tone} className={className}>
      {label}
    </Badge>
  );
}

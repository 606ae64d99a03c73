import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { RiskBadge, type RiskLevel } from "@/components/ui/risk-badge";

const oversightLabels: Record<string, string> = {
  none: "None — runs unattended",
  "approve-tools": "Approve tools — a lead approves each external action",
  "approve-run": "Approve run — a lead approves each run before it starts",
};

export function oversightLabel(mode: unknown): string {
  return oversightLabels[String(mode)] ?? String(mode ?? "—");
}

function isRisk(value: unknown): value is RiskLevel {
  return value === "minimal" || value === "limited" || value === "high";
}

/** The governance declaration (or a run's snapshot of it) as a definition list. */
export function GovernanceList({ governance }: { governance: Record<string, unknown> }) {
  const categories = Array.isArray(governance.dataCategories)
    ? (governance.dataCategories as unknown[]).map(String)
    : [];
  const rows: { term: string; value: ReactNode }[] = [
    { term: "Owner", value: String(governance.owner ?? "—") },
    { term: "Purpose", value: String(governance.purpose ?? "—") },
    { term: "Risk level", value: isRisk(governance.riskLevel) ? <RiskBadge level={governance.riskLevel} /> : "—" },
    { term: "Human oversight", value: oversightLabel(governance.humanOversight) },
    {
      term: "Data categories",
      value:
        categories.length === 0 ? (
          <span className="text-muted">None declared</span>
        ) : (
          <span className="flex flex-wrap gap-1">
            {categories.map((c) => (
              <Badge key={c}>{c}</Badge>
            ))}
          </span>
        ),
    },
    {
      term: "Authorized by",
      value: `${String(governance.authorizedBy ?? "—")} on ${String(governance.authorizedAt ?? "—")}`,
    },
    { term: "Retention", value: governance.retentionDays ? `${String(governance.retentionDays)} days` : "—" },
  ];
  return <DefinitionList rows={rows} />;
}

export function DefinitionList({ rows }: { rows: { term: string; value: ReactNode }[] }) {
  return (
    <dl className="grid grid-cols-[minmax(7rem,auto)_1fr] gap-x-4 gap-y-2 text-[13px]">
      {rows.map((row) => (
        <div key={row.term} className="contents">
          <dt className="text-muted">{row.term}</dt>
          <dd className="min-w-0 break-words text-foreground">{row.value}</dd>
        </div>
      ))}
    </dl>
  );
}

import { Landmark } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { oversightShort } from "@/components/jobs/trigger-summary";
import { authorizePage } from "@/components/shell/authorize-page";
import { Badge } from "@/components/ui/badge";
import { buttonClassName } from "@/components/ui/button-styles";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { RiskBadge } from "@/components/ui/risk-badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { getDb } from "@/db/client";
import { governanceRegister } from "@/lib/compliance";
import { riskLevels, type RiskLevel } from "@/lib/jobs";
import { cn } from "@/lib/utils";

export const metadata: Metadata = { title: "Governance" };

type Props = { searchParams: Promise<{ risk?: string; category?: string }> };

function filterHref(risk: string | undefined, category: string | undefined): string {
  const p = new URLSearchParams();
  if (risk) p.set("risk", risk);
  if (category) p.set("category", category);
  const s = p.toString();
  return s ? `/governance?${s}` : "/governance";
}

export default async function GovernancePage({ searchParams }: Props) {
  await authorizePage("governance.read");
  const params = await searchParams;
  const risk = (riskLevels as readonly string[]).includes(params.risk ?? "") ? (params.risk as RiskLevel) : undefined;
  const category = params.category?.trim() || undefined;
  const db = await getDb();
  const [all, entries] = await Promise.all([governanceRegister(db), governanceRegister(db, { risk, category })]);
  const categories = [...new Set(all.flatMap((e) => e.dataCategories))].sort();
  const exportQuery = new URLSearchParams({ ...(risk ? { risk } : {}), ...(category ? { category } : {}) }).toString();
  const chip = (active: boolean) =>
    cn(
      "rounded-full border px-2.5 py-0.5 text-xs",
      active ? "border-accent bg-accent-soft text-accent-text" : "border-border text-muted hover:text-foreground",
    );

  return (
    <>
      <PageHeader
        title="Governance"
        description="What this fleet does and who authorized it: every job's owner, purpose, risk, data categories, oversight, retention and tools."
        actions={
          <span className="flex gap-2">
            <a
              className={buttonClassName("secondary", "sm")}
              href={`/api/governance?format=csv${exportQuery ? `&${exportQuery}` : ""}`}
              download
            >
              Export CSV
            </a>
            <a
              className={buttonClassName("secondary", "sm")}
              href={`/api/governance?format=json${exportQuery ? `&${exportQuery}` : ""}`}
              download="flightdeck-governance-register.json"
            >
              Export JSON
            </a>
          </span>
        }
      />
      <nav aria-label="Filters" className="mb-4 flex flex-col gap-2">
        <div className="flex flex-wrap items-center gap-1.5">
          <span className="w-28 text-xs text-muted">Risk</span>
          <Link
            className={chip(!risk)}
            href={filterHref(undefined, category)}
            aria-current={!risk ? "page" : undefined}
          >
            Any
          </Link>
          {riskLevels.map((r) => (
            <Link
              key={r}
              className={chip(risk === r)}
              href={filterHref(r, category)}
              aria-current={risk === r ? "page" : undefined}
            >
              {r}
            </Link>
          ))}
        </div>
        <div className="flex flex-wrap items-center gap-1.5">
          <span className="w-28 text-xs text-muted">Data category</span>
          <Link
            className={chip(!category)}
            href={filterHref(risk, undefined)}
            aria-current={!category ? "page" : undefined}
          >
            Any
          </Link>
          {categories.map((c) => (
            <Link
              key={c}
              className={chip(category === c)}
              href={filterHref(risk, c)}
              aria-current={category === c ? "page" : undefined}
            >
              {c}
            </Link>
          ))}
        </div>
      </nav>
      {entries.length === 0 ? (
        <EmptyState
          icon={Landmark}
          title="No job matches"
          description="No job in the registry has this risk level and data category."
        />
      ) : (
        <Table aria-label="Governance register">
          <TableHeader>
            <TableRow>
              <TableHead scope="col">Job</TableHead>
              <TableHead scope="col">Owner · purpose</TableHead>
              <TableHead scope="col">Risk</TableHead>
              <TableHead scope="col">Oversight</TableHead>
              <TableHead scope="col">Data categories</TableHead>
              <TableHead scope="col">Authorized</TableHead>
              <TableHead scope="col">Retention</TableHead>
              <TableHead scope="col">Tools (side effect: categories)</TableHead>
              <TableHead scope="col">Versions</TableHead>
              <TableHead scope="col">Runs</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {entries.map((e) => (
              <TableRow key={e.jobId} className="align-top">
                <TableCell className="min-w-44 py-2">
                  <Link href={`/jobs/${e.jobId}`} className="font-medium hover:underline">
                    {e.title}
                  </Link>
                  <p className="font-mono text-[11px] text-muted">{e.jobId}</p>
                </TableCell>
                <TableCell className="max-w-72 py-2 text-xs">
                  {e.owner}
                  <p className="mt-0.5 text-muted">{e.purpose}</p>
                </TableCell>
                <TableCell className="py-2">
                  <RiskBadge level={e.riskLevel as RiskLevel} />
                </TableCell>
                <TableCell className="py-2 text-xs whitespace-nowrap">
                  {oversightShort[e.humanOversight] ?? e.humanOversight}
                </TableCell>
                <TableCell className="max-w-52 py-2">
                  <span className="flex flex-wrap gap-1">
                    {e.dataCategories.map((c) => (
                      <Badge key={c}>{c}</Badge>
                    ))}
                  </span>
                </TableCell>
                <TableCell className="py-2 text-xs whitespace-nowrap">
                  {e.authorizedBy}
                  <p className="text-muted">{e.authorizedAt}</p>
                </TableCell>
                <TableCell className="py-2 text-xs whitespace-nowrap">{e.retentionDays} days</TableCell>
                <TableCell className="py-2 text-xs">
                  <ul>
                    {e.tools.map((t) => (
                      <li key={t.name}>
                        <span className="font-mono">{t.name}</span>{" "}
                        <span className="text-muted">
                          ({t.sideEffect ?? "unknown tool"}: {t.dataCategories.join(", ") || "none"})
                        </span>
                      </li>
                    ))}
                  </ul>
                </TableCell>
                <TableCell className="py-2 text-xs">
                  <code className="font-mono text-[11px]" title={e.version}>
                    {e.version.slice(0, 8)}
                  </code>
                  <p className="text-muted">{e.versions} total</p>
                </TableCell>
                <TableCell className="py-2 text-xs whitespace-nowrap">
                  {e.runs}
                  <p className="text-muted">
                    {e.lastRunAt ? `last ${e.lastRunAt.slice(0, 16).replace("T", " ")} UTC` : "never run"}
                  </p>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
}

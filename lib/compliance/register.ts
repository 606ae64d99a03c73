import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Queryable } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { riskLevels } from "@/lib/jobs/schema";
import { listJobs } from "@/lib/jobs/queries";
import { builtinTools } from "@/lib/tools/builtin";
import { getTool } from "@/lib/tools/registry";

export interface RegisterTool {
  name: string;
  /** null when this process does not know the tool (removed from code since). */
  sideEffect: string | null;
  dataCategories: string[];
}

export interface RegisterEntry {
  jobId: string;
  title: string;
  domain: string;
  owner: string;
  purpose: string;
  riskLevel: string;
  dataCategories: string[];
  humanOversight: string;
  authorizedBy: string;
  authorizedAt: string;
  retentionDays: number;
  tools: RegisterTool[];
  version: string;
  versions: number;
  runs: number;
  lastRunAt: string | null;
  removedAt: string | null;
}

export const governanceQuerySchema = z.strictObject({
  risk: z.enum(riskLevels).optional(),
  category: z.string().trim().min(1).max(100).optional(),
  format: z.enum(["json", "csv"]).default("json"),
  includeRemoved: z.enum(["true", "false"]).optional(),
});
export type GovernanceQuery = z.infer<typeof governanceQuerySchema>;

/** "What does this fleet do, and who authorized it": every job's governance, tools, versions and run counts. */
export async function governanceRegister(
  db: Queryable,
  filter: Omit<GovernanceQuery, "format"> = {},
): Promise<RegisterEntry[]> {
  const [jobs, counts] = await Promise.all([
    listJobs(db, { includeRemoved: filter.includeRemoved === "true" }),
    db.execute(sql`
      select j.id as job_id,
             (select count(*) from job_versions v where v.job_id = j.id) as versions,
             (select count(*) from runs r where r.job_id = j.id) as runs,
             (select to_char(max(r.created_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') from runs r where r.job_id = j.id) as last_run_at
      from jobs j`),
  ]);
  const byJob = new Map(
    rowsOf<{ job_id: string; versions: string | number; runs: string | number; last_run_at: string | null }>(
      counts,
    ).map((r) => [r.job_id, r]),
  );
  const entries = jobs.map((job): RegisterEntry => {
    const g = job.governance;
    const c = byJob.get(job.id);
    return {
      jobId: job.id,
      title: job.title,
      domain: job.domain,
      owner: g.owner,
      purpose: g.purpose,
      riskLevel: g.riskLevel,
      dataCategories: [...g.dataCategories],
      humanOversight: g.humanOversight,
      authorizedBy: g.authorizedBy,
      authorizedAt: g.authorizedAt,
      retentionDays: g.retentionDays,
      tools: job.agent.tools.map((name) => {
        const tool = getTool(name) ?? builtinTools.find((t) => t.name === name);
        return { name, sideEffect: tool?.sideEffect ?? null, dataCategories: tool ? [...tool.dataCategories] : [] };
      }),
      version: job.version,
      versions: Number(c?.versions ?? 0),
      runs: Number(c?.runs ?? 0),
      lastRunAt: c?.last_run_at ?? null,
      removedAt: job.removedAt,
    };
  });
  return entries.filter(
    (e) =>
      (!filter.risk || e.riskLevel === filter.risk) && (!filter.category || e.dataCategories.includes(filter.category)),
  );
}

function cell(value: unknown): string {
  const s = value === null || value === undefined ? "" : String(value);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const CSV_HEADER = [
  "job_id",
  "title",
  "domain",
  "owner",
  "purpose",
  "risk_level",
  "data_categories",
  "human_oversight",
  "authorized_by",
  "authorized_at",
  "retention_days",
  "tools",
  "version",
  "versions",
  "runs",
  "last_run_at",
  "removed_at",
];

export function registerCsv(entries: readonly RegisterEntry[]): string {
  const lines = entries.map((e) =>
    [
      e.jobId,
      e.title,
      e.domain,
      e.owner,
      e.purpose,
      e.riskLevel,
      e.dataCategories.join("; "),
      e.humanOversight,
      e.authorizedBy,
      e.authorizedAt,
      e.retentionDays,
      e.tools
        .map((t) => `${t.name} (${t.sideEffect ?? "unknown"}: ${t.dataCategories.join("/") || "none"})`)
        .join("; "),
      e.version,
      e.versions,
      e.runs,
      e.lastRunAt,
      e.removedAt,
    ]
      .map(cell)
      .join(","),
  );
  return `${[CSV_HEADER.join(","), ...lines].join("\r\n")}\r\n`;
}

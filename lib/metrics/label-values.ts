import "server-only";
import { eq } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { schedulingKeys } from "@/db/schema";
import { listJobDefinitions } from "@/lib/jobs";
import { getTool } from "@/lib/tools";

/** The label value for anything outside the configured set: the series count stays bounded. */
export const OTHER = "other";

/**
 * A tool label is a registered tool's name. A refused call records the name the model sent,
 * which a prompt-injected model can make up at will; those all count as "unknown".
 */
export function toolLabel(name: string): string {
  return getTool(name) ? name : "unknown";
}

/**
 * Fair-share keys can come from run input (a customer's domain, an operator's choice), so
 * only configured keys get their own series: the jobs' declared groups and keys an admin
 * gave a weight. Every other key is "other".
 */
export async function namedFairShareKeys(db: Queryable): Promise<Set<string>> {
  const named = new Set(listJobDefinitions().map((d) => d.scheduling.group));
  const admin = await db
    .select({ key: schedulingKeys.key })
    .from(schedulingKeys)
    .where(eq(schedulingKeys.weightSource, "admin"));
  for (const row of admin) named.add(row.key);
  return named;
}

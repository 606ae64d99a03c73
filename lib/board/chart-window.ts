import "server-only";
import type { SQL } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { chartWindow, type ChartWindow, type TimeRange } from "@/lib/time-range";

/**
 * A chart's buckets over a range. All time starts at the oldest row, which `oldest` selects
 * as `at` (a min() over an index: one probe); the other ranges need no query.
 */
export async function chartWindowOf(db: Queryable, range: TimeRange, oldest: SQL): Promise<ChartWindow> {
  if (range !== "all") return chartWindow(range);
  const [row] = rowsOf<{ at: string | Date | null }>(await db.execute(oldest));
  return chartWindow(range, new Date(), row?.at ? new Date(row.at) : null);
}

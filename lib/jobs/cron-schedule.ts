import "server-only";
import { Cron } from "croner";

/**
 * One place that turns a declared schedule into instants, so validation, the scheduler
 * and the API all read a cron expression the same way (5 fields, or 6 with seconds;
 * day-of-month OR day-of-week as classic cron does).
 */
export function cronFor(expression: string, timezone: string): Cron {
  return new Cron(expression, { timezone, mode: "5-or-6-parts", paused: true });
}

export function isValidTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** Why the expression cannot be used, or null when it is fine. */
export function cronProblem(expression: string, timezone: string): string | null {
  let cron: Cron;
  try {
    cron = cronFor(expression, timezone);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  // A pattern such as "0 0 30 2 *" parses but can never fire.
  try {
    if (cron.nextRun(new Date()) === null) return "Cron expression never fires";
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return null;
}

/** The first tick strictly after `after`, or null. */
export function nextTickAfter(expression: string, timezone: string, after: Date): Date | null {
  return cronFor(expression, timezone).nextRun(after);
}

/**
 * Ticks in (after, until], oldest first, at most `limit` of them — the most recent ones
 * when there are more (a per-second schedule down for a week must not enumerate millions).
 */
export function ticksBetween(
  expression: string,
  timezone: string,
  after: Date,
  until: Date,
  limit: number,
): { ticks: Date[]; truncated: boolean } {
  if (until.getTime() <= after.getTime()) return { ticks: [], truncated: false };
  const cron = cronFor(expression, timezone);
  // Usually zero or one tick is due, so walk forward from `after` first.
  const ticks: Date[] = [];
  let cursor: Date | null = cron.nextRun(after);
  while (cursor && cursor.getTime() <= until.getTime()) {
    if (ticks.length === limit) {
      // Too many: keep the newest `limit`. previousRuns excludes a tick exactly at the
      // reference unless the reference is later within that second, hence + 1 ms.
      const newest = cron.previousRuns(limit, new Date(until.getTime() + 1)).reverse();
      return { ticks: newest, truncated: true };
    }
    ticks.push(cursor);
    cursor = cron.nextRun(cursor);
  }
  return { ticks, truncated: false };
}

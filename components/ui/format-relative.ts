const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Compact relative time ("just now", "3m ago", "in 2h", "5d ago"); beyond a week the
 * calendar date ("Mar 4", or "Mar 4, 2024" in another year) reads better than "53d ago".
 * `timeZone` defaults to the runtime's own; pass "UTC" where the viewer's is unknown.
 */
export function formatRelative(then: number, now: number, timeZone?: string): string {
  const diff = now - then;
  const abs = Math.abs(diff);
  if (abs < 45_000) return "just now";
  if (abs < 7 * DAY) {
    const text =
      abs < HOUR
        ? `${Math.max(1, Math.floor(abs / MINUTE))}m`
        : abs < DAY
          ? `${Math.floor(abs / HOUR)}h`
          : `${Math.floor(abs / DAY)}d`;
    return diff >= 0 ? `${text} ago` : `in ${text}`;
  }
  const year = (ms: number) => new Date(ms).toLocaleDateString("en-US", { year: "numeric", timeZone });
  return new Date(then).toLocaleDateString("en-US", {
    month: "short",
    day: "numeric",
    timeZone,
    ...(year(then) === year(now) ? {} : { year: "numeric" }),
  });
}

/** "2026-12-06 06:31:12 UTC": an audit-grade time, the same for every viewer and time zone. */
export function formatUtc(date: Date | string): string {
  return `${new Date(date).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

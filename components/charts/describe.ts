export type SeriesUnit = "day" | "hour";

/** "3 Jun" (day) or "3 Jun 14:00" (hour), always UTC so server and browser agree. */
export function bucketLabel(at: string, unit: SeriesUnit): string {
  const d = new Date(at);
  const day = d.toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
  if (unit === "day") return day;
  return `${day} ${d.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" })}`;
}

/**
 * A series in words for a screen reader: "Runs per day, last 30 days (UTC): 3 on 2 Jun, 12 on
 * 3 Jun; none on the other days." Only the buckets with a value are read out.
 */
export function describeSeries(
  title: string,
  points: { at: string; value: number | null }[],
  unit: SeriesUnit,
  format: (v: number) => string,
): string {
  const some = points.filter((p): p is { at: string; value: number } => p.value !== null && p.value !== 0);
  if (some.length === 0) return `${title}: none.`;
  const listed = some.map((p) => `${format(p.value)} on ${bucketLabel(p.at, unit)}`).join(", ");
  return some.length === points.length ? `${title}: ${listed}.` : `${title}: ${listed}; none on the other ${unit}s.`;
}

import type { BucketSize } from "@/lib/time-range";

/** "14:05" (minute), "3 Jun 14:00" (hour, 6 hours) or "3 Jun" (day, week), always UTC so server and browser agree. */
export function bucketLabel(at: string, bucket: BucketSize): string {
  const d = new Date(at);
  const time = d.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
  if (bucket === "minute") return time;
  const day = d.toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
  return bucket === "day" || bucket === "week" ? day : `${day} ${time}`;
}

/** A chart table's first column. */
export const bucketHeading: Record<BucketSize, string> = {
  minute: "Minute (UTC)",
  hour: "Hour (UTC)",
  "6 hours": "6 hours from (UTC)",
  day: "Day (UTC)",
  week: "Week from (UTC)",
};

const bucketPlural: Record<BucketSize, string> = {
  minute: "minutes",
  hour: "hours",
  "6 hours": "6-hour periods",
  day: "days",
  week: "weeks",
};

/** "in the last hour", or "since 3 Jun 2026" as it stands: for "No turns …". */
export function inSpan(span: string): string {
  return span.startsWith("since ") ? span : `in the ${span}`;
}

/** "per day, last 30 days": the words after a chart's measure. */
export function perBucket(series: { bucket: BucketSize; span: string }): string {
  return `per ${series.bucket}, ${series.span}`;
}

/**
 * A series in words for a screen reader: "Runs per day, last 30 days (UTC): 3 on 2 Jun, 12 on
 * 3 Jun; none in the other days." Only the buckets with a value are read out.
 */
export function describeSeries(
  title: string,
  points: { at: string; value: number | null }[],
  bucket: BucketSize,
  format: (v: number) => string,
): string {
  const some = points.filter((p): p is { at: string; value: number } => p.value !== null && p.value !== 0);
  if (some.length === 0) return `${title}: none.`;
  const on = bucket === "minute" ? "at" : "on";
  const listed = some.map((p) => `${format(p.value)} ${on} ${bucketLabel(p.at, bucket)}`).join(", ");
  return some.length === points.length
    ? `${title}: ${listed}.`
    : `${title}: ${listed}; none in the other ${bucketPlural[bucket]}.`;
}

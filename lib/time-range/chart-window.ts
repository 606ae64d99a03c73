import { timeRangeHours, type TimeRange } from "./range";

/** How long one bar or point of a chart covers. */
export type BucketSize = "minute" | "hour" | "6 hours" | "day" | "week";

export const BUCKET_MS: Record<BucketSize, number> = {
  minute: 60_000,
  hour: 3_600_000,
  "6 hours": 21_600_000,
  day: 86_400_000,
  week: 604_800_000,
};

/** Buckets per range: about 24–60 bars, each a unit people read times in. */
const BUCKET_OF: Record<Exclude<TimeRange, "all">, BucketSize> = {
  "1h": "minute",
  "24h": "hour",
  "7d": "6 hours",
  "30d": "day",
};

/** All time is drawn per day up to this span, per week beyond it. */
const ALL_TIME_DAILY_DAYS = 90;
/** Ten years of weeks: more history than that is cut at the start (the span says from when). */
const MAX_BUCKETS = 520;
// 1970-01-01 was a Thursday: weeks start on the Monday four days later.
const WEEK_OFFSET_MS = 4 * 86_400_000;

export interface ChartWindow {
  range: TimeRange;
  bucket: BucketSize;
  bucketMs: number;
  /** Start of the first bucket, ISO (UTC); every bucket start is aligned to its size. */
  from: string;
  /** Every bucket's start, oldest first; the last holds now. */
  starts: string[];
  /** "last 24 hours", or for all time "since 3 Jun 2026". */
  span: string;
}

function bucketStart(t: number, bucket: BucketSize): number {
  const ms = BUCKET_MS[bucket];
  const offset = bucket === "week" ? WEEK_OFFSET_MS : 0;
  return Math.floor((t - offset) / ms) * ms + offset;
}

const spanOf: Record<Exclude<TimeRange, "all">, string> = {
  "1h": "last hour",
  "24h": "last 24 hours",
  "7d": "last 7 days",
  "30d": "last 30 days",
};

/**
 * The buckets a chart draws for a range, ending with the one that holds `now`. All time needs
 * the oldest row's time (`earliest`); without any row it is drawn as the last 30 days.
 */
export function chartWindow(range: TimeRange, now = new Date(), earliest: Date | null = null): ChartWindow {
  let bucket: BucketSize;
  let count: number;
  if (range === "all") {
    const days = earliest ? (now.getTime() - earliest.getTime()) / BUCKET_MS.day : 30;
    bucket = days <= ALL_TIME_DAILY_DAYS ? "day" : "week";
    const first = bucketStart(
      earliest ? Math.min(earliest.getTime(), now.getTime()) : now.getTime() - 29 * BUCKET_MS.day,
      bucket,
    );
    count = Math.min(MAX_BUCKETS, Math.floor((bucketStart(now.getTime(), bucket) - first) / BUCKET_MS[bucket]) + 1);
  } else {
    bucket = BUCKET_OF[range];
    count = Math.round(((timeRangeHours[range] ?? 0) * 3_600_000) / BUCKET_MS[bucket]);
  }
  const step = BUCKET_MS[bucket];
  const last = bucketStart(now.getTime(), bucket);
  const starts = Array.from({ length: count }, (_, i) => new Date(last - (count - 1 - i) * step).toISOString());
  const from = starts[0] ?? new Date(last).toISOString();
  const span =
    range === "all"
      ? `since ${new Date(from).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" })}`
      : spanOf[range];
  return { range, bucket, bucketMs: step, from, starts, span };
}

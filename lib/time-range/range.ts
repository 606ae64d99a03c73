import { z } from "zod";

/**
 * The cockpit's one time range: the list view, the board's Done and failed windows and every
 * chart read it from the `range` URL parameter (a contract: links and the CSV export carry it),
 * falling back to the last choice (a cookie) and then to the page's own default.
 */
export const timeRanges = ["1h", "24h", "7d", "30d", "all"] as const;
export type TimeRange = (typeof timeRanges)[number];

/** The URL search parameter. */
export const TIME_RANGE_PARAM = "range";
/** The last choice, read on the server so the next page renders with it (no flash of the default). */
export const TIME_RANGE_COOKIE = "flightdeck-range";

export const timeRangeLabels: Record<TimeRange, string> = {
  "1h": "Last hour",
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
  all: "All time",
};

/** Hours back from now; null: no lower bound. */
export const timeRangeHours: Record<TimeRange, number | null> = {
  "1h": 1,
  "24h": 24,
  "7d": 168,
  "30d": 720,
  all: null,
};

export const timeRangeSchema = z.enum(timeRanges, {
  error: (issue) => `Unknown time range "${String(issue.input)}" (one of ${timeRanges.join(", ")})`,
});

/** A value from a URL or a cookie; null when absent, blank or not a range. */
export function parseTimeRange(value: unknown): TimeRange | null {
  const raw = Array.isArray(value) ? (value as unknown[])[0] : value;
  const parsed = timeRangeSchema.safeParse(typeof raw === "string" ? raw.trim() : raw);
  return parsed.success ? parsed.data : null;
}

export interface ResolvedTimeRange {
  range: TimeRange;
  /** Where it came from: the URL, the remembered last choice, or the page's default. */
  source: "url" | "cookie" | "default";
  /** Why the URL's value was left out (it was present but not a range). */
  error?: string;
}

/** The URL wins, then the remembered choice, then the page's default. */
export function resolveTimeRange(input: { param: unknown; cookie: unknown; fallback: TimeRange }): ResolvedTimeRange {
  const raw = Array.isArray(input.param) ? (input.param as unknown[])[0] : input.param;
  const fromUrl = parseTimeRange(raw);
  if (fromUrl) return { range: fromUrl, source: "url" };
  const error =
    typeof raw === "string" && raw.trim() !== ""
      ? timeRangeSchema.safeParse(raw.trim()).error?.issues[0]?.message
      : undefined;
  const fromCookie = parseTimeRange(input.cookie);
  const resolved: ResolvedTimeRange = fromCookie
    ? { range: fromCookie, source: "cookie" }
    : { range: input.fallback, source: "default" };
  return error ? { ...resolved, error } : resolved;
}

/** The window's start (null for all time). */
export function timeRangeStart(range: TimeRange, now = new Date()): Date | null {
  const hours = timeRangeHours[range];
  return hours === null ? null : new Date(now.getTime() - hours * 3_600_000);
}

import { describe, expect, it } from "vitest";
import { chartWindow, parseTimeRange, resolveTimeRange, timeRangeSchema, timeRangeStart } from "@/lib/time-range";

const now = new Date("2026-12-06T09:17:42.123Z");

describe("time range parsing", () => {
  it("accepts the list view's values (a contract) and nothing else", () => {
    for (const r of ["1h", "24h", "7d", "30d", "all"]) expect(parseTimeRange(r)).toBe(r);
    expect(parseTimeRange(" 24h ")).toBe("24h");
    expect(parseTimeRange(["30d", "1h"])).toBe("30d");
    for (const bad of ["", "2d", "ALL", undefined, null, 7]) expect(parseTimeRange(bad)).toBeNull();
  });

  it("names what is wrong", () => {
    const error = timeRangeSchema.safeParse("90d").error?.issues[0]?.message;
    expect(error).toBe('Unknown time range "90d" (one of 1h, 24h, 7d, 30d, all)');
  });

  it("takes the URL first, then the remembered choice, then the page's default", () => {
    expect(resolveTimeRange({ param: "1h", cookie: "30d", fallback: "7d" })).toEqual({ range: "1h", source: "url" });
    expect(resolveTimeRange({ param: undefined, cookie: "30d", fallback: "7d" })).toEqual({
      range: "30d",
      source: "cookie",
    });
    expect(resolveTimeRange({ param: "", cookie: "junk", fallback: "7d" })).toEqual({ range: "7d", source: "default" });
    // A range in the URL that is not one is reported, and the fallbacks apply.
    expect(resolveTimeRange({ param: "90d", cookie: "24h", fallback: "7d" })).toEqual({
      range: "24h",
      source: "cookie",
      error: 'Unknown time range "90d" (one of 1h, 24h, 7d, 30d, all)',
    });
  });

  it("starts each window that far back, all time unbounded", () => {
    expect(timeRangeStart("1h", now)?.toISOString()).toBe("2026-12-06T08:17:42.123Z");
    expect(timeRangeStart("7d", now)?.toISOString()).toBe("2026-11-29T09:17:42.123Z");
    expect(timeRangeStart("all", now)).toBeNull();
  });
});

describe("chart windows", () => {
  it("picks a bucket per range, aligned in UTC, the last holding now", () => {
    const cases = [
      ["1h", "minute", 60, "2026-12-06T08:18:00.000Z", "2026-12-06T09:17:00.000Z", "last hour"],
      ["24h", "hour", 24, "2026-12-05T10:00:00.000Z", "2026-12-06T09:00:00.000Z", "last 24 hours"],
      ["7d", "6 hours", 28, "2026-11-29T12:00:00.000Z", "2026-12-06T06:00:00.000Z", "last 7 days"],
      ["30d", "day", 30, "2026-11-07T00:00:00.000Z", "2026-12-06T00:00:00.000Z", "last 30 days"],
    ] as const;
    for (const [range, bucket, count, first, last, span] of cases) {
      const w = chartWindow(range, now);
      expect({ bucket: w.bucket, count: w.starts.length, first: w.from, last: w.starts.at(-1), span: w.span }).toEqual({
        bucket,
        count,
        first,
        last,
        span,
      });
      // Consecutive starts are one bucket apart.
      expect(new Set(w.starts.slice(1).map((s, i) => Date.parse(s) - Date.parse(w.starts[i] ?? "")))).toEqual(
        new Set([w.bucketMs]),
      );
    }
  });

  it("draws all time per day from the oldest row, per week (from Monday) past 90 days", () => {
    const daily = chartWindow("all", now, new Date("2026-11-20T15:00:00Z"));
    expect(daily).toMatchObject({ bucket: "day", from: "2026-11-20T00:00:00.000Z", span: "since 20 Nov 2026" });
    expect(daily.starts).toHaveLength(17);
    const weekly = chartWindow("all", now, new Date("2026-01-01T00:00:00Z"));
    expect(weekly.bucket).toBe("week");
    // 2025-12-29 was a Monday.
    expect(weekly.from).toBe("2025-12-29T00:00:00.000Z");
    expect(weekly.starts.at(-1)).toBe("2026-11-30T00:00:00.000Z");
    // Nothing recorded yet: the last 30 days, so an empty chart still has a shape.
    expect(chartWindow("all", now, null).starts).toHaveLength(30);
    // Ten years of weeks at most.
    expect(chartWindow("all", now, new Date("1990-01-01T00:00:00Z")).starts).toHaveLength(520);
  });
});

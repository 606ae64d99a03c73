import { describe, expect, it } from "vitest";
import { formatRelative, formatUtc } from "./format-relative";

const now = Date.parse("2026-03-10T12:00:00Z");
const ago = (ms: number) => formatRelative(now - ms, now, "UTC");

describe("formatRelative", () => {
  it("says 'just now' within 45 seconds either way", () => {
    expect(ago(0)).toBe("just now");
    expect(ago(44_000)).toBe("just now");
    expect(ago(-30_000)).toBe("just now");
  });

  it("counts whole minutes, hours and days in the past", () => {
    expect(ago(50_000)).toBe("1m ago");
    expect(ago(3 * 60_000 + 59_000)).toBe("3m ago");
    expect(ago(59 * 60_000 + 59_000)).toBe("59m ago");
    expect(ago(60 * 60_000)).toBe("1h ago");
    expect(ago(23 * 3_600_000 + 3_599_000)).toBe("23h ago");
    expect(ago(2 * 86_400_000)).toBe("2d ago");
  });

  it("phrases future times with 'in'", () => {
    expect(ago(-5 * 60_000)).toBe("in 5m");
    expect(ago(-3 * 3_600_000)).toBe("in 3h");
  });

  it("switches to a calendar date after a week, adding the year only when it differs", () => {
    expect(formatRelative(Date.parse("2026-02-20T08:00:00Z"), now, "UTC")).toBe("Feb 20");
    expect(formatRelative(Date.parse("2025-12-24T08:00:00Z"), now, "UTC")).toBe("Dec 24, 2025");
  });

  it("uses the given time zone for the calendar date", () => {
    const lateUtc = Date.parse("2026-02-20T23:30:00Z");
    expect(formatRelative(lateUtc, now, "UTC")).toBe("Feb 20");
    expect(formatRelative(lateUtc, now, "Asia/Tokyo")).toBe("Feb 21");
  });
});

describe("formatUtc", () => {
  it("prints seconds in UTC whatever the viewer's zone", () => {
    expect(formatUtc("2026-12-06T06:31:12.345Z")).toBe("2026-12-06 06:31:12 UTC");
    expect(formatUtc(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe("2026-01-02 03:04:05 UTC");
  });
});

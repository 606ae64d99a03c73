import { TIME_RANGE_COOKIE, type TimeRange } from "@/lib/time-range";

/** A year: the choice is a preference, not a session. Lax: it rides on ordinary navigation only. */
const MAX_AGE_S = 365 * 24 * 3600;

/** Remembers the last range chosen, for the server to render the next page with it. */
export function rememberTimeRange(range: TimeRange): void {
  const secure = window.location.protocol === "https:" ? "; secure" : "";
  document.cookie = `${TIME_RANGE_COOKIE}=${range}; path=/; max-age=${MAX_AGE_S}; samesite=lax${secure}`;
}

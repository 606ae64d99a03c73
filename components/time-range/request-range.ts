import "server-only";
import { cookies } from "next/headers";
import {
  resolveTimeRange,
  TIME_RANGE_COOKIE,
  TIME_RANGE_PARAM,
  type ResolvedTimeRange,
  type TimeRange,
} from "@/lib/time-range";

type SearchParams = Record<string, string | string[] | undefined>;

/** A page's time range: its `range` URL parameter, else the last choice (cookie), else `fallback`. */
export async function timeRangeOfRequest(searchParams: SearchParams, fallback: TimeRange): Promise<ResolvedTimeRange> {
  const jar = await cookies();
  return resolveTimeRange({
    param: searchParams[TIME_RANGE_PARAM],
    cookie: jar.get(TIME_RANGE_COOKIE)?.value,
    fallback,
  });
}

// No server-only here: the picker (a client component) and the server pages share these.
export {
  parseTimeRange,
  resolveTimeRange,
  timeRangeHours,
  timeRangeLabels,
  timeRangeSchema,
  timeRanges,
  timeRangeStart,
  TIME_RANGE_COOKIE,
  TIME_RANGE_PARAM,
  type ResolvedTimeRange,
  type TimeRange,
} from "./range";
export { BUCKET_MS, chartWindow, type BucketSize, type ChartWindow } from "./chart-window";

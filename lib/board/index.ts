import "server-only";

export { diffDeclarations, type DeclarationChange } from "./declaration-diff";
export { STATS_WINDOW_DAYS, emptyStats, jobRunStats, type JobRunStats } from "./job-stats";
export { boardSnapshot, boardUpdate } from "./queries";
export { DURATION_EDGES_MS, emptySeries, jobDurationHistogram, jobRunSeries } from "./job-series";
export type { DurationBucket, RunSeries, RunSeriesBucket, SeriesUnit } from "./job-series";
export { resourceSeries, type EndpointMinute, type EndpointSeries, type ResourceSeries } from "./resource-series";
export type { WaitMinute } from "./resource-series";
export { endpointUsage, type EndpointUsage, type ResourceRun } from "./resources";
export { loadRunPage, type NotificationRecord, type RunRecord, type TurnRecord } from "./run-page";
export { type BoardJob, type BoardResponse, type BoardRisk, type BoardRun, type BoardSnapshot } from "./types";
export { listRunFiles, readRunFile, type FileView, type WorkspaceListing } from "./workspace-files";
export { workspaceFileForApi, workspaceListingForApi } from "./workspace-files";
export { searchRuns, searchQuery, idPrefixOf } from "./search";
export type { SearchResult, RunHit, JobHit } from "./search-types";

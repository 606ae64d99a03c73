import "server-only";

export { diffDeclarations, type DeclarationChange } from "./declaration-diff";
export { STATS_WINDOW_DAYS, emptyStats, jobRunStats, type JobRunStats } from "./job-stats";
export { boardSnapshot, boardUpdate } from "./queries";
export { endpointUsage, type EndpointUsage, type ResourceRun } from "./resources";
export { loadRunPage, type NotificationRecord, type RunRecord, type TurnRecord } from "./run-page";
export { type BoardJob, type BoardResponse, type BoardRisk, type BoardRun, type BoardSnapshot } from "./types";
export { listRunFiles, readRunFile, type FileView, type WorkspaceListing } from "./workspace-files";
export { workspaceFileForApi, workspaceListingForApi } from "./workspace-files";
export { searchRuns, searchQuery, idPrefixOf } from "./search";
export type { SearchResult, RunHit, JobHit } from "./search-types";
export { listRunPage, exportRunRows, runCsvValues, runListQuery, runListSorts, runListRanges } from "./run-list";
export { RUN_CSV_COLUMNS, EXPORT_CAP, type RunListQuery } from "./run-list";
export type { RunListRow, RunListPage } from "./run-list-types";
export { runsCsvResponse } from "./run-list-export";

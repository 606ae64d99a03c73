// The runtime's public face: what app/, components/, server/ and bench/ may import.
import "server-only";

export { decideApproval, decisionBody, decisionFromVerb } from "./approvals";
export { bootState } from "./boot-state";
export {
  applyRunControl,
  bulkRunControl,
  runControls,
  BULK_CONTROL_MAX,
  type BulkControlResult,
  type ControlResult,
  type RunControl,
} from "./controls";
export { createManualRun, createRun, manualRunInput } from "./create-run";
export { registeredExecutor } from "./executor-registry";
export { errorMessage, logger, silentLogger, type Logger } from "./log";
export { configuredModelEndpoints, syncModelEndpoints } from "./model-endpoints";
export { getRunDetail, runExists, listApprovals, listApprovalsQuery, listRuns, listRunsQuery } from "./queries";
export { startEmbeddedRuntime } from "./start";
export { isTerminal } from "./transition-table";
export { listMissedTicks, type MissedTick } from "./triggers/missed-ticks";
export { deliverSignal } from "./triggers/signals";
export { type TurnExecutor } from "./turn-executor";
export { startWorker, type Worker } from "./worker";
export { claimNextRun } from "./claim";
export { claimCandidateSql } from "./claim-order";

import "server-only";

export { defineJob } from "./define-job";
export {
  jobDeclarationSchema,
  riskLevels,
  humanOversightModes,
  type JobDeclaration,
  type JobDefinition,
  type JobTrigger,
  type ScheduleTrigger,
  type SignalTrigger,
  type RiskLevel,
  type HumanOversight,
  type Governance,
} from "./schema";
export { JobDeclarationError, type DeclarationProblem } from "./errors";
export { parseJobDeclaration, validateDeclarations } from "./validate";
export { registerJobDefinitions, getJobDefinition, listJobDefinitions, signalSubscribers } from "./registry";
export { serializeJob, jobDomain, type SerializedJob, type SerializedTrigger } from "./serialize";
export { jobVersion } from "./version";
export { runLabel, RUN_LABEL_MAX } from "./run-labels";
export { removeJobs, syncRegistry, type SyncOptions, type SyncResult } from "./sync";
export { loadJobRegistry } from "./boot";
export { listJobs, getJob, jobExists, type JobSummary, type JobDetail, type JobVersionSummary } from "./queries";
export { type TriggerSummary } from "./queries";

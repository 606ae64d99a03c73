import "server-only";

export { governanceProblems } from "./declaration";
export {
  governanceQuerySchema,
  governanceRegister,
  registerCsv,
  type GovernanceQuery,
  type RegisterEntry,
  type RegisterTool,
} from "./register";
export { purgeExpiredRuns, startRetention, PURGED_INPUT, type RetentionResult } from "./retention";

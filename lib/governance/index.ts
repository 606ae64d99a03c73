// Client-safe (zod only): the runs table types its governance snapshot from here.
export { governanceSchema, humanOversightModes, riskLevels, type Governance } from "./schema";

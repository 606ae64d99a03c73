import "server-only";
import type { JobDefinition } from "@/lib/jobs/schema";
import { supportJobs } from "./support";

/**
 * Every domain pack's jobs. Packs add their list here; start-up validates the whole set
 * (unique ids and signal names) and syncs it into the registry.
 */
export const allJobs: JobDefinition[] = [...supportJobs];

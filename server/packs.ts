import "server-only";
import { playgroundPack } from "@/domains/playground";
import { supportPack } from "@/domains/support";
import type { DomainPack } from "@/lib/packs";

/**
 * The domain packs this build runs. A second pack is one more entry here (and its tables'
 * file in drizzle.config.ts).
 */
export const packs: readonly DomainPack[] = [supportPack, playgroundPack];

/** Every pack's jobs: start-up validates the whole set (unique ids and signal names). */
export const allJobs = packs.flatMap((pack) => pack.jobs);

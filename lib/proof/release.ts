import "server-only";
import type { ScratchDatabase } from "./scratch-database";

/**
 * How a test lets go of its database: removed at once, or with `--keep` closed and handed to
 * `keeping` (noted before closing, so a failure from here on still finds it to remove).
 */
export async function releaseScratch(
  scratch: ScratchDatabase,
  keeping: ((scratch: ScratchDatabase) => void) | null,
): Promise<void> {
  if (!keeping) return scratch.drop();
  keeping(scratch);
  await scratch.close();
}

import { closeDatabase, getDatabase } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { verifyAuditLog } from "@/lib/audit";

/**
 * `npm run audit:verify`: recompute the audit Merkle log of the configured database —
 * every leaf and root, the checkpoint signatures, every MAC, and the consistency with
 * each checkpoint anchored in FLIGHTDECK_AUDIT_ANCHOR_DIR. Prints the result as JSON;
 * exits 0 when the log is intact, 1 when it is not.
 */
async function main(): Promise<number> {
  const handle = await getDatabase();
  try {
    await runMigrations(handle);
    // On Postgres the log's ranges are read and hashed by worker threads, each on its own connection.
    const result = await verifyAuditLog(handle.db, handle.kind === "postgres" && handle.url ? { url: handle.url } : {});
    console.log(JSON.stringify(result));
    if (!result.ok) {
      if (result.firstBadSeq !== null)
        console.error(`[flightdeck] audit log broken at seq ${result.firstBadSeq} (${result.problem})`);
      if (result.badUnsealedIds.length > 0)
        console.error(`[flightdeck] unsealed events with a bad MAC: ids ${result.badUnsealedIds.join(", ")}`);
      return 1;
    }
    return 0;
  } finally {
    await closeDatabase();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[flightdeck] audit verify failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);

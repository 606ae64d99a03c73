import { closeDatabase, getDatabase } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { verifyAuditChain } from "@/lib/audit";

/**
 * `npm run audit:verify`: recompute the audit hash chain of the configured database.
 * Prints the result as JSON; exits 0 when the chain is intact, 1 when it is not.
 */
async function main(): Promise<number> {
  const handle = await getDatabase();
  try {
    await runMigrations(handle);
    const result = await verifyAuditChain(handle.db, { batchSize: 2000 });
    console.log(JSON.stringify(result));
    if (!result.ok) {
      console.error(`[flightdeck] audit chain broken at seq ${result.firstBadSeq} (${result.problem})`);
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

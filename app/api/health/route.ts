import { getDatabase } from "@/db/client";
import { currentMigration } from "@/db/migrate";
import { auditHealth } from "@/lib/audit";
import { apiRoute } from "@/lib/http";
import { bootState } from "@/lib/runtime";

export const dynamic = "force-dynamic";

/** Liveness and what the process runs on. No sign-in, no secrets. */
export const GET = apiRoute({ permission: "health.read" }, async () => {
  const handle = await getDatabase();
  const state = bootState();
  return {
    ok: true,
    db: handle.kind,
    migration: await currentMigration(handle),
    audit: await auditHealth(handle.db),
    runtime: {
      embedded: state.embeddedRuntime,
      running: state.runtimeRunning,
      bootMs: state.bootMs,
      startedAt: state.startedAt.toISOString(),
    },
  };
});

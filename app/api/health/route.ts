import { getDatabase } from "@/db/client";
import { currentMigration } from "@/db/migrate";
import { apiRoute } from "@/lib/http/route";
import { bootState } from "@/lib/boot/state";
import { pingDatabase } from "@/lib/boot/db-health";

export const dynamic = "force-dynamic";

/**
 * Liveness and what the process runs on. No sign-in, no secrets. While the database does
 * not answer: 503 with `db: "down"`; the process keeps serving and recovers by itself.
 */
export const GET = apiRoute({ permission: "health.read" }, async () => {
  const handle = await getDatabase();
  const state = bootState();
  const up = await pingDatabase(handle);
  const runtime = {
    embedded: state.embeddedRuntime,
    running: state.runtimeRunning,
    bootMs: state.bootMs,
    startedAt: state.startedAt.toISOString(),
  };
  if (!up) return Response.json({ ok: false, db: "down", runtime }, { status: 503 });
  return { ok: true, db: handle.kind, migration: await currentMigration(handle).catch(() => null), runtime };
});

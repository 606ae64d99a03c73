import { getDatabase } from "@/db/client";
import { currentMigration } from "@/db/migrate";
import { pingDatabase } from "@/db/ping";
import { auditHealth } from "@/lib/audit";
import { apiRoute } from "@/lib/http";
import { bootState } from "@/lib/runtime";

export const dynamic = "force-dynamic";

/**
 * Liveness and what the process runs on. No sign-in, no secrets; the applied migration
 * (which dates the build an attacker would be probing) only for a signed-in caller. While
 * the database does not answer: 503 with `db: "down"`; the process keeps serving and
 * recovers by itself.
 */
export const GET = apiRoute({ permission: "health.read" }, async ({ principal }) => {
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
  return {
    ok: true,
    db: handle.kind,
    ...(principal.kind === "anonymous" ? {} : { migration: await currentMigration(handle).catch(() => null) }),
    audit: await auditHealth(handle.db),
    runtime,
  };
});

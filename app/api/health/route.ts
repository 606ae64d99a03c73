import { z } from "zod";
import { getDatabase } from "@/db/client";
import { currentMigration } from "@/db/migrate";
import { pingDatabase } from "@/db/ping";
import { auditHealth } from "@/lib/audit";
import { apiRoute } from "@/lib/http";
import { bootState } from "@/lib/runtime";

export const dynamic = "force-dynamic";

const runtimeSchema = z.object({
  embedded: z.boolean(),
  running: z.boolean(),
  bootMs: z.number().nullable(),
  startedAt: z.string(),
});

/**
 * Liveness and what the process runs on. No sign-in, no secrets; the applied migration
 * (which dates the build an attacker would be probing) only for a signed-in caller. While
 * the database does not answer: 503 with `db: "down"`; the process keeps serving and
 * recovers by itself.
 */
export const GET = apiRoute(
  {
    permission: "health.read",
    doc: {
      summary: "Liveness",
      description:
        'What the process runs on; the applied migration only for a signed-in caller. 503 with `db: "down"` while the database does not answer.',
      tags: ["system"],
      responses: {
        200: {
          description: "Up",
          schema: z.object({
            ok: z.literal(true),
            db: z.string(),
            migration: z.string().nullable().optional(),
            audit: z.looseObject({
              unsealed: z.number(),
              lagMs: z.number(),
              rejected: z.number(),
              treeSize: z.number(),
              unindexed: z.number(),
            }),
            runtime: runtimeSchema,
          }),
        },
        503: {
          description: "The database does not answer",
          schema: z.object({ ok: z.literal(false), db: z.literal("down"), runtime: runtimeSchema }),
        },
      },
    },
  },
  async ({ principal }) => {
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
  },
);

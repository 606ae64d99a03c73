import { z } from "zod";
import { getDb } from "@/db/client";
import { auditActor, auditAuthorization } from "@/lib/audit";
import { apiRoute } from "@/lib/http";
import { revertRunWrites } from "@/lib/memory";

export const dynamic = "force-dynamic";

const body = z.strictObject({
  dryRun: z.boolean(),
  /** Entities (collection/key) to revert even though another writer changed them after the run. */
  force: z.array(z.string().min(1).max(300)).max(10_000).optional(),
});

/**
 * POST /api/runs/{id}/revert-writes { dryRun, force? } (lead, admin): restores the value each
 * entity had before the run wrote it, as new compensating writes attributed to the caller.
 * dryRun answers exactly what would change; entities changed later by others are conflicts.
 */
export const POST = apiRoute(
  {
    permission: "memory.revert",
    doc: {
      summary: "Revert a run's shared-memory writes",
      description:
        "Restores the value each entity had before the run wrote it, as new compensating writes attributed to the caller. dryRun answers exactly what would change.",
      tags: ["runs", "memory"],
      responses: {
        200: {
          description: "The plan (applied unless dryRun)",
          schema: z.object({
            runId: z.string(),
            dryRun: z.boolean(),
            changes: z.array(
              z.looseObject({ entity: z.string(), status: z.enum(["revert", "conflict", "forced", "unchanged"]) }),
            ),
            conflicts: z.array(z.string()),
            reverted: z.number(),
          }),
        },
      },
      errors: [404],
    },
    body,
  },
  async ({ params, body, principal }) => {
    const plan = await revertRunWrites(await getDb(), String(params.id), {
      dryRun: body.dryRun,
      ...(body.force ? { force: body.force } : {}),
      by: { actor: auditActor(principal), authorization: auditAuthorization(principal, "memory.revert") },
    });
    return Response.json(plan);
  },
);

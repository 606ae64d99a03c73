"use server";

import { z } from "zod";
import { getDb } from "@/db/client";
import { defineAction } from "./define-action";
import { auditActor, auditAuthorization } from "@/lib/audit";
import { revertRunWrites } from "@/lib/memory";

/** The cockpit's revert button: preview (dryRun) then apply, as POST /api/runs/:id/revert-writes. */
export const revertWrites = defineAction({
  name: "memory.revert",
  permission: "memory.revert",
  input: z.strictObject({
    runId: z.string().min(1).max(100),
    dryRun: z.boolean(),
    force: z.array(z.string().min(1).max(300)).max(10_000).optional(),
  }),
  handler: async ({ runId, dryRun, force }, principal) =>
    revertRunWrites(await getDb(), runId, {
      dryRun,
      ...(force ? { force } : {}),
      by: { actor: auditActor(principal), authorization: auditAuthorization(principal, "memory.revert") },
    }),
});

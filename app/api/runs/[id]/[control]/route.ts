import { z } from "zod";
import { getDb } from "@/db/client";
import { AppError } from "@/lib/errors";
import { apiRoute } from "@/lib/http";
import { applyRunControl, runControls, type RunControl } from "@/lib/runtime";

export const dynamic = "force-dynamic";

const controlResult = z.object({
  id: z.string(),
  state: z.string(),
  pending: z.enum(["pause", "cancel"]).optional().describe("The control takes effect at the next turn boundary"),
  retryOf: z.string().optional().describe("retry: the run it retried"),
});

const controlQuery = z.strictObject({ hard: z.enum(["true", "false"]).optional() });

/**
 * POST /api/runs/:id/{pause,resume,cancel,retry}. cancel?hard=true aborts the turn in
 * flight. 409 { error: { code: "conflict", state } } when the run's state does not allow it;
 * retry answers 201 with the new run.
 */
export const POST = apiRoute(
  {
    permission: "runs.control",
    doc: {
      summary: "Pause, resume, cancel or retry a run",
      description:
        "cancel?hard=true aborts the turn in flight. 409 when the run's state does not allow it; retry answers 201 with the new run.",
      tags: ["runs"],
      params: {
        control: {
          description: "pause, resume, cancel or retry",
          schema: z.enum(["pause", "resume", "cancel", "retry"]),
        },
      },
      responses: {
        200: { description: "Applied (or pending)", schema: controlResult },
        201: { description: "retry: the new run", schema: controlResult },
      },
      errors: [404, 409],
    },
    query: controlQuery,
  },
  async ({ params, query, principal }) => {
    const control = String(params.control);
    if (!(runControls as readonly string[]).includes(control))
      throw new AppError("not_found", `Unknown control ${control}`);
    const result = await applyRunControl(await getDb(), String(params.id), control as RunControl, principal, {
      hard: query.hard === "true",
    });
    return Response.json(result, { status: control === "retry" ? 201 : 200 });
  },
);

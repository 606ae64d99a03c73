import { z } from "zod";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/http";
import { deliverSignal } from "@/lib/runtime";

export const dynamic = "force-dynamic";

/**
 * Delivers a signal: 202 { runs } (one run per subscribed job), 404 for an unknown
 * signal, 400 with zod issues for a bad payload. A repeated Idempotency-Key answers the
 * same runs and creates nothing (409 if reused with another payload).
 */
export const POST = apiRoute({ permission: "signals.send", body: z.unknown() }, async ({ request, principal, params, body }) => {
  const name = typeof params.name === "string" ? params.name : "";
  const delivery = await deliverSignal(await getDb(), {
    name,
    payload: body,
    idempotencyKey: request.headers.get("idempotency-key"),
    actor: principal,
  });
  return Response.json(
    { runs: delivery.runs },
    { status: 202, headers: delivery.replayed ? { "Idempotent-Replayed": "true" } : undefined },
  );
});

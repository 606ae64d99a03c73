import { z } from "zod";
import { getDb } from "@/db/client";
import { getEnv } from "@/lib/env";
import { apiRoute } from "@/lib/http";
import { signalSubscribers } from "@/lib/jobs";
import { deliverSignal } from "@/lib/runtime";

export const dynamic = "force-dynamic";

/** FLIGHTDECK_MAX_BODY_BYTES, or the largest limit a subscribed job declares for this signal. */
function signalBodyLimit(params: Record<string, string | string[] | undefined>): number {
  const base = getEnv().FLIGHTDECK_MAX_BODY_BYTES;
  const name = typeof params.name === "string" ? params.name : "";
  return Math.max(base, ...signalSubscribers(name).map(({ trigger }) => trigger.maxBodyBytes ?? 0));
}

/**
 * Delivers a signal: 202 { runs, woken } (one run per subscribed job; runs parked by
 * wait_for_signal whose match the payload satisfies), 404 for an unknown
 * signal, 400 with zod issues for a bad payload, 413 for a body over the limit. A
 * repeated Idempotency-Key answers the same runs and creates nothing (409 if reused with
 * another payload).
 */
export const POST = apiRoute(
  {
    permission: "signals.send",
    doc: {
      summary: "Deliver a signal",
      description:
        "One run per subscribed job, and runs parked by wait_for_signal whose match the payload satisfies are woken. A repeated Idempotency-Key answers the same runs (409 if reused with another payload). The body is the signal's payload, validated against the signal's declared schema.",
      tags: ["signals"],
      responses: {
        202: {
          description: "The runs created and the runs woken",
          schema: z.object({
            runs: z.array(z.string()).describe("The ids of the runs created"),
            woken: z.array(z.string()).describe("The ids of the waiting runs woken"),
          }),
        },
      },
      errors: [404, 409],
    },
    body: z.unknown(),
    maxBodyBytes: signalBodyLimit,
  },
  async ({ request, principal, params, body }) => {
    const name = typeof params.name === "string" ? params.name : "";
    const delivery = await deliverSignal(await getDb(), {
      name,
      payload: body,
      idempotencyKey: request.headers.get("idempotency-key"),
      actor: principal,
    });
    return Response.json(
      { runs: delivery.runs, woken: delivery.woken },
      { status: 202, headers: delivery.replayed ? { "Idempotent-Replayed": "true" } : undefined },
    );
  },
);

import { z } from "zod";
import { getDb } from "@/db/client";
import { AppError } from "@/lib/errors";
import { apiRoute } from "@/lib/http";
import { fairShareKeyParam, keyWeightInput, setKeyWeight } from "@/lib/scheduling";

export const dynamic = "force-dynamic";

/**
 * PUT { weight } (admin, audited): a fair-share key's weight, before or after it has runs.
 * 400 naming "key" (empty or over 200 characters) or "weight" (not a number > 0).
 */
export const PUT = apiRoute(
  {
    permission: "scheduling.manage",
    doc: {
      summary: "Set a fair-share key's weight",
      description: "Before or after the key has runs; audited.",
      tags: ["scheduling"],
      params: { key: { description: "The fair-share key (1–200 characters)" } },
      responses: {
        200: {
          description: "The new and the previous weight",
          schema: z.object({ key: z.string(), weight: z.number(), previous: z.number().nullable() }),
        },
      },
    },
    body: keyWeightInput,
  },
  async ({ params, body, principal }) => {
    const parsed = fairShareKeyParam.safeParse({ key: String(params.key ?? "") });
    if (!parsed.success) throw AppError.validation(parsed.error, "key");
    return Response.json(await setKeyWeight(await getDb(), principal, parsed.data.key, body.weight));
  },
);

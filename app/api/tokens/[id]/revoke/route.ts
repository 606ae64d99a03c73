import { z } from "zod";
import { getDb } from "@/db/client";
import { AppError } from "@/lib/errors";
import { apiRoute } from "@/lib/http";
import { revokeApiToken } from "@/lib/tokens";

export const dynamic = "force-dynamic";

/** Revokes a token at once (404 unknown, 409 already revoked). */
export const POST = apiRoute(
  {
    permission: "tokens.manage",
    doc: {
      summary: "Revoke an API token",
      description: "At once; 409 when already revoked.",
      tags: ["tokens"],
      responses: { 200: { description: "Revoked", schema: z.object({ id: z.string(), revokedAt: z.string() }) } },
      errors: [404, 409],
    },
  },
  async ({ params, principal }) => {
    const id = params.id;
    if (typeof id !== "string" || id === "") throw new AppError("bad_request", "Token id is required");
    return revokeApiToken(await getDb(), principal, id);
  },
);

import { z } from "zod";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/http";
import { createApiToken, createTokenInput, listApiTokens, tokenSummarySchema as tokenSummary } from "@/lib/tokens";

export const dynamic = "force-dynamic";

/** Every API token (never secrets or hashes), newest first. */
export const GET = apiRoute(
  {
    permission: "tokens.read",
    doc: {
      summary: "List API tokens",
      description: "Every token, newest first; never secrets or hashes.",
      tags: ["tokens"],
      responses: { 200: { description: "The tokens", schema: z.object({ tokens: z.array(tokenSummary) }) } },
    },
  },
  async () => ({
    tokens: await listApiTokens(await getDb()),
  }),
);

/** Creates a token; the response is the only time its secret is ever shown. */
export const POST = apiRoute(
  {
    permission: "tokens.manage",
    doc: {
      summary: "Create an API token",
      description: "The answer is the only time the secret is ever shown.",
      tags: ["tokens"],
      responses: {
        201: {
          description: "The token with its secret",
          schema: tokenSummary.extend({ token: z.string().regex(/^fd_/) }),
        },
      },
      errors: [404],
    },
    body: createTokenInput,
  },
  async ({ body, principal }) => {
    const created = await createApiToken(await getDb(), principal, body);
    return Response.json(created, { status: 201, headers: { "Cache-Control": "no-store" } });
  },
);

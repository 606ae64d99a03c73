import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/http";
import { createApiToken, createTokenInput, listApiTokens } from "@/lib/tokens";

export const dynamic = "force-dynamic";

/** Every API token (never secrets or hashes), newest first. */
export const GET = apiRoute({ permission: "tokens.read" }, async () => ({
  tokens: await listApiTokens(await getDb()),
}));

/** Creates a token; the response is the only time its secret is ever shown. */
export const POST = apiRoute({ permission: "tokens.manage", body: createTokenInput }, async ({ body, principal }) => {
  const created = await createApiToken(await getDb(), principal, body);
  return Response.json(created, { status: 201, headers: { "Cache-Control": "no-store" } });
});

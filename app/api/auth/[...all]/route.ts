import { z } from "zod";
import { assertTrustedAuthOrigin, getAuth, isEnabledAuthEndpoint } from "@/lib/auth";
import { AppError } from "@/lib/errors";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

/**
 * Better Auth's handler, limited to the endpoints Flightdeck uses (lib/auth/auth-endpoints.ts:
 * sign-in/email, sign-out, get-session, change-password; anything else is 404). The
 * instance is made on first use because the database opens asynchronously. Sign-up is
 * disabled: accounts come from admins and the demo seed.
 */
const handle = apiRoute(
  {
    permission: "auth.endpoints",
    doc: {
      summary: "Better Auth endpoints",
      description:
        "Sign-in and sessions, answered by Better Auth (its own request and response shapes): POST sign-in/email { email, password }, POST sign-out, GET get-session, POST change-password. Any other path is 404; a POST whose Origin is not the cockpit's (FLIGHTDECK_BASE_URL, or localhost/127.0.0.1 on PORT) is 403 with a message naming FLIGHTDECK_BASE_URL. Described briefly: Flightdeck does not own these shapes.",
      tags: ["auth"],
      params: { all: { description: "sign-in/email, sign-out, get-session or change-password" } },
      responses: { 200: { description: "Better Auth's answer", schema: z.unknown() } },
      errors: [404, 429],
    },
  },
  async ({ request }) => {
    if (!isEnabledAuthEndpoint(request.nextUrl.pathname)) throw new AppError("not_found", "No such endpoint");
    // A page opened at another origin than FLIGHTDECK_BASE_URL gets a 403 that names the variable.
    assertTrustedAuthOrigin(request);
    return (await getAuth()).handler(request);
  },
);

export const GET = handle;
export const POST = handle;

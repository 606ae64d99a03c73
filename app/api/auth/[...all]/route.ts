import { getAuth, isEnabledAuthEndpoint } from "@/lib/auth";
import { AppError } from "@/lib/errors";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

/**
 * Better Auth's handler, limited to the endpoints Flightdeck uses (lib/auth/auth-endpoints.ts:
 * sign-in/email, sign-out, get-session, change-password; anything else is 404). The
 * instance is made on first use because the database opens asynchronously. Sign-up is
 * disabled: accounts come from admins and the demo seed.
 */
const handle = apiRoute({ permission: "auth.endpoints" }, async ({ request }) => {
  if (!isEnabledAuthEndpoint(request.nextUrl.pathname)) throw new AppError("not_found", "No such endpoint");
  return (await getAuth()).handler(request);
});

export const GET = handle;
export const POST = handle;

import { getAuth } from "@/lib/auth";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

/**
 * Better Auth's handler (sign-in/email, sign-out, get-session, …). The instance is made
 * on first use because the database opens asynchronously. Sign-up is disabled there:
 * accounts come from admins and the demo seed.
 */
const handle = apiRoute({ permission: "auth.endpoints" }, async ({ request }) => (await getAuth()).handler(request));

export const GET = handle;
export const POST = handle;

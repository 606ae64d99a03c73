import "server-only";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, isAPIError } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { account, session, user, verification } from "@/db/schema";
import { sanitizeError } from "@/lib/errors/sanitize";
import { logger } from "@/lib/log";
import { minPasswordLength } from "@/lib/users/schemas";
import { authHooks } from "./auth-hooks";
import { getAuthSecret } from "./auth-secret";
import { baseUrl, trustedOrigins } from "./origins";

export const invalidCredentials = "Invalid email or password";

async function createAuth(db: Db) {
  const baseURL = baseUrl();
  const hooks = authHooks(db);
  return betterAuth({
    appName: "Flightdeck",
    baseURL,
    basePath: "/api/auth",
    secret: await getAuthSecret(db),
    trustedOrigins: trustedOrigins(),
    database: drizzleAdapter(db, { provider: "pg", schema: { user, session, account, verification } }),
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength },
    user: {
      additionalFields: {
        role: { type: "string", input: false, required: false, defaultValue: "operator" },
        disabled: { type: "boolean", input: false, required: false, defaultValue: false },
        isDemo: { type: "boolean", input: false, required: false, defaultValue: false },
      },
    },
    // Accounts are managed by admins in the cockpit (audited there), not self-served.
    disabledPaths: ["/sign-up/email", "/update-user", "/delete-user", "/change-email", "/request-password-reset"],
    // One limiter with one set of rules: the database-backed one in rate-limit.ts, which
    // every instance shares. Better Auth's own is per-process memory and would disagree.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    // Failed sign-ins are audited with context; Better Auth's per-attempt warnings add only noise.
    logger: { level: "error" },
    onAPIError: {
      // 4xx answers (wrong password, rate limited) are expected traffic, not server errors.
      onError: (error) => {
        if (isAPIError(error) && error.statusCode < 500) return;
        logger("error", "auth error", { error: sanitizeError(error) });
      },
    },
    hooks,
    databaseHooks: {
      session: {
        create: {
          // Runs after the password check, so a disabled account looks exactly like a
          // wrong password: same status, same message, same timing.
          before: async (row) => {
            const [owner] = await db.select({ disabled: user.disabled }).from(user).where(eq(user.id, row.userId));
            if (!owner || owner.disabled) {
              throw new APIError("UNAUTHORIZED", { code: "INVALID_EMAIL_OR_PASSWORD", message: invalidCredentials });
            }
          },
        },
      },
    },
    plugins: [nextCookies()],
  });
}

export type Auth = Awaited<ReturnType<typeof createAuth>>;

// One instance per database handle: created on first use (the database opens
// asynchronously), shared by every request, and replaced when tests install a new one.
const instances = new WeakMap<Db, Promise<Auth>>();

export async function getAuth(): Promise<Auth> {
  const db = await getDb();
  let instance = instances.get(db);
  if (!instance) {
    instance = createAuth(db);
    instances.set(db, instance);
    instance.catch(() => instances.delete(db));
  }
  return instance;
}

"use client";

import { createAuthClient } from "better-auth/react";

type AuthClient = ReturnType<typeof createAuthClient>;
let client: AuthClient | undefined;

/**
 * Better Auth's browser client, made on first use so the module can be imported during
 * server rendering; it talks to /api/auth on whatever origin the page was loaded from.
 */
export function authClient(): AuthClient {
  client ??= createAuthClient({ baseURL: window.location.origin });
  return client;
}

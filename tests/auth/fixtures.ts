import { asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditEvents, type Role } from "@/db/schema";
import { resetEnvCache } from "@/lib/env";
import { insertUserWithPassword } from "@/lib/users/insert";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { serveRoutes, type TestServer } from "./http";
import * as authRoute from "@/app/api/auth/[...all]/route";
import * as tokensRoute from "@/app/api/tokens/route";
import * as revokeRoute from "@/app/api/tokens/[id]/revoke/route";

export interface AuthFixture {
  handle: TestDatabase;
  db: Db;
  server: TestServer;
  close(): Promise<void>;
}

/**
 * A fresh database plus the auth and token routes on loopback HTTP. PORT is set to the
 * server's port before Better Auth is first built, so its trusted origins are exactly
 * what a browser on http://127.0.0.1:<port> sends.
 */
export async function setupAuth(env: Record<string, string> = {}): Promise<AuthFixture> {
  const handle = await createTestDatabase();
  const server = await serveRoutes({
    "/api/auth/[...all]": authRoute,
    "/api/tokens": tokensRoute,
    "/api/tokens/[id]/revoke": revokeRoute,
  });
  Object.assign(process.env, { PORT: String(server.port), ...env });
  resetEnvCache();
  return {
    handle,
    db: handle.db,
    server,
    async close() {
      await server.close();
      await handle.drop();
    },
  };
}

export async function addUser(
  db: Db,
  email: string,
  role: Role,
  password = "correct horse battery",
  extra: { isDemo?: boolean } = {},
) {
  return db.transaction((tx) =>
    insertUserWithPassword(tx, { email, name: email.split("@")[0] ?? email, role, password, ...extra }),
  );
}

export async function auditOf(db: Db, action: string) {
  return db.select().from(auditEvents).where(eq(auditEvents.action, action)).orderBy(asc(auditEvents.id));
}

export function signInRequest(
  server: TestServer,
  email: string,
  password: string,
  headers: Record<string, string> = {},
) {
  return fetch(`${server.url}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.url, "user-agent": "vitest-browser", ...headers },
    body: JSON.stringify({ email, password }),
  });
}

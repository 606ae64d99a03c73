import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPglite, type DatabaseHandle } from "@/db/client";
import { apiTokens, auditEvents } from "@/db/schema";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

const root = path.resolve(import.meta.dirname, "../..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");

/**
 * `npm run flightdeck -- token …` as a child process: against the test's Postgres
 * database when TEST_DATABASE_URL is set, else against an embedded data directory that
 * the test opens afterwards to check what the CLI wrote.
 */
let pg: TestDatabase | undefined;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "fd-cli-"));
  if (process.env.TEST_DATABASE_URL) pg = await createTestDatabase();
});
afterAll(async () => {
  await pg?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, FLIGHTDECK_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  if (pg?.url) env.DATABASE_URL = pg.url;
  return new Promise((resolve) => {
    execFile(
      tsx,
      ["--conditions=react-server", "server/cli.ts", ...args],
      { cwd: root, env },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

async function withDb<T>(fn: (h: DatabaseHandle) => Promise<T>): Promise<T> {
  if (pg) return fn(pg);
  const handle = await openPglite(path.join(dataDir, "pglite"));
  try {
    return await fn(handle);
  } finally {
    await handle.close();
  }
}

describe("flightdeck CLI: tokens", () => {
  it("rejects bad command lines with exit code 2, naming the flag", async () => {
    // No database is opened for these, so they can run side by side.
    const [badRole, missing, unknown, verb] = await Promise.all([
      cli("token", "create", "--role", "boss", "--name", "ci"),
      cli("token", "create", "--name", "ci"),
      cli("token", "create", "--role", "operator", "--nme", "ci"),
      cli("token", "mint"),
    ]);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain('invalid --role "boss"');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing --role");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--nme");
    expect(verb.code).toBe(2);
    expect(verb.stderr).toContain('unknown token subcommand "mint"');
  });

  it("creates (printing the secret once), lists and revokes a token, audited as the CLI", async () => {
    const created = await cli("token", "create", "--role", "operator", "--name", "ci", "--json");
    expect(created.code, created.stderr).toBe(0);
    const token = JSON.parse(created.stdout) as { id: string; token: string; role: string; createdBy: string };
    expect(token.token).toMatch(/^fd_/);
    expect(token).toMatchObject({ role: "operator", createdBy: "system:cli" });

    const human = await cli("token", "create", "--role", "reviewer", "--name", "dashboards");
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/\n {2}fd_[A-Za-z0-9_-]{43}\n/);
    expect(human.stdout).toContain("will not be shown again");

    const listed = await cli("token", "list", "--json");
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toContain(token.token);
    const rows = JSON.parse(listed.stdout) as { id: string; name: string }[];
    expect(rows.map((r) => r.name).sort()).toEqual(["ci", "dashboards"]);

    expect((await cli("token", "revoke", token.id)).code).toBe(0);
    const again = await cli("token", "revoke", token.id);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already revoked");

    await withDb(async ({ db }) => {
      const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, token.id));
      expect(row?.revokedAt).toBeInstanceOf(Date);
      const events = await db.select().from(auditEvents);
      const created = events.filter((e) => e.action === "token.created");
      expect(created).toHaveLength(2);
      expect(created[0]).toMatchObject({ actorKind: "system", actorId: "cli" });
      expect(events.filter((e) => e.action === "token.revoked")).toHaveLength(1);
      expect(JSON.stringify(events)).not.toContain(token.token);
    });
  });
});

describe("flightdeck CLI: users", () => {
  it("creates a user with a one-time generated password that signs in, and audits it", async () => {
    const result = await cli("user", "create", "--email", "First.Admin@Example.com", "--role", "admin");
    expect(result.code, result.stderr).toBe(0);
    const password = /Initial password \(shown once\):\s+(\S+)/.exec(result.stdout)?.[1];
    expect(password).toBeDefined();
    expect(password?.length).toBeGreaterThanOrEqual(20);
    await withDb(async (h) => {
      const { user } = await import("@/db/schema");
      const [created] = await h.db.select().from(user).where(eq(user.email, "first.admin@example.com"));
      expect(created?.role).toBe("admin");
      const events = await h.db.select().from(auditEvents).where(eq(auditEvents.action, "user.created"));
      expect(events.some((e) => e.subjectId === created?.id && e.actorLabel === "system:cli")).toBe(true);
      expect(JSON.stringify(events)).not.toContain(password ?? "-");
    });
  });

  it("refuses a bad email or role with exit code 2, naming the flag", async () => {
    const [badEmail, badRole] = await Promise.all([
      cli("user", "create", "--email", "nope", "--role", "admin"),
      cli("user", "create", "--email", "x@example.com", "--role", "boss"),
    ]);
    expect(badEmail.code).toBe(2);
    expect(badEmail.stderr).toContain("--email");
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain("--role");
  });
});

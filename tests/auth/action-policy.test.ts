import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roles } from "@/db/schema";
import { actionRegistry, isDefinedAction, runAction } from "@/lib/actions/define-action";
import { roleAllows } from "@/lib/auth/policy";
import type { Principal } from "@/lib/audit";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

/**
 * The server-action half of the policy walk: every actions.ts under app/ (found on disk,
 * so new ones are covered without touching this file) exports only defineAction()s, and
 * every registered action answers anonymous with `unauthorized` and each role with
 * `forbidden` exactly when the policy table denies it.
 */
const appDir = path.resolve(import.meta.dirname, "../../app");

function findActionFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findActionFiles(full));
    else if (entry.name === "actions.ts") found.push(full);
  }
  return found.sort();
}

const files = findActionFiles(appDir);
const modules = new Map<string, Record<string, unknown>>();
let handle: TestDatabase;

beforeAll(async () => {
  handle = await createTestDatabase();
  for (const file of files) {
    modules.set(path.relative(appDir, file), (await import(pathToFileURL(file).href)) as Record<string, unknown>);
  }
});
afterAll(async () => handle.drop());

const principalFor = (role: (typeof roles)[number]): Principal => ({
  kind: "user",
  id: `policy-walk-${role}`,
  label: `${role}@policy.walk`,
  role,
});

describe("server action policy walk", () => {
  it("finds the action files", () => {
    expect(files.length).toBeGreaterThan(0);
    expect(files.map((f) => path.relative(appDir, f))).toContain(path.join("(cockpit)", "settings", "users", "actions.ts"));
  });

  it("every export of every actions.ts is a defineAction()", () => {
    const offenders: string[] = [];
    for (const [file, mod] of modules) {
      for (const [name, value] of Object.entries(mod)) {
        if (!isDefinedAction(value)) offenders.push(`${file}: ${name}`);
      }
    }
    expect(offenders).toEqual([]);
    expect(actionRegistry.size).toBeGreaterThan(0);
  });

  it("answers every action as anonymous and as each role exactly as the policy table says", async () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const [name, definition] of actionRegistry) {
      // An empty object: allowed callers fail validation (or find nothing), so no action
      // changes anything here; only the authorization answer matters.
      const anonymous = await runAction(definition, { kind: "anonymous" }, {});
      const publicAction = roleAllows(null, definition.permission);
      const anonCode = anonymous.ok ? "ok" : anonymous.error.code;
      if (!publicAction && anonCode !== "unauthorized") mismatches.push(`${name} anonymous: ${anonCode}`);
      if (publicAction && (anonCode === "unauthorized" || anonCode === "forbidden")) mismatches.push(`${name} anonymous: ${anonCode}`);
      checked++;
      for (const role of roles) {
        const result = await runAction(definition, principalFor(role), {});
        const code = result.ok ? "ok" : result.error.code;
        const allowed = roleAllows(role, definition.permission);
        if (!allowed && code !== "forbidden") mismatches.push(`${name} as ${role}: expected forbidden, got ${code}`);
        if (allowed && (code === "forbidden" || code === "unauthorized")) mismatches.push(`${name} as ${role}: expected allowed, got ${code}`);
        checked++;
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(actionRegistry.size * (roles.length + 1));
  });
});

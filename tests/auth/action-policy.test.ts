import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roles } from "@/db/schema";
import { actionRegistry, isDefinedAction, runAction } from "@/lib/actions/define-action";
import { roleAllows } from "@/lib/auth/policy";
import type { Principal } from "@/lib/auth";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

/**
 * The server-action half of the policy walk: the actions' index (lib/actions/index.ts)
 * lists every action module in lib/actions (found on disk, so a new module that is not
 * listed fails here), exports only defineAction()s, and every registered action answers
 * anonymous with `unauthorized` and each role with `forbidden` exactly when the policy
 * table denies it.
 */
const actionsDir = path.resolve(import.meta.dirname, "../../lib/actions");
const notActionModules = new Set(["index.ts", "define-action.ts"]);

function findActionFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter(
      (entry) =>
        entry.isFile() &&
        entry.name.endsWith(".ts") &&
        !entry.name.endsWith(".test.ts") &&
        !notActionModules.has(entry.name),
    )
    .map((entry) => path.join(dir, entry.name))
    .sort();
}

const files = findActionFiles(actionsDir);
const modules = new Map<string, Record<string, unknown>>();
let indexExports: Record<string, unknown> = {};
let handle: TestDatabase;

beforeAll(async () => {
  handle = await createTestDatabase();
  indexExports = (await import("@/lib/actions")) as Record<string, unknown>;
  for (const file of files) {
    modules.set(path.relative(actionsDir, file), (await import(pathToFileURL(file).href)) as Record<string, unknown>);
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
    expect(files.map((f) => path.relative(actionsDir, f))).toContain("users.ts");
  });

  it("the actions' index exports every action of every module", () => {
    const missing: string[] = [];
    for (const [file, mod] of modules) {
      for (const [name, value] of Object.entries(mod)) {
        if (indexExports[name] !== value) missing.push(`${file}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("every export of every action module and of the index is a defineAction()", () => {
    const offenders: string[] = [];
    for (const [file, mod] of [...modules, ["index.ts", indexExports] as const]) {
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
      if (publicAction && (anonCode === "unauthorized" || anonCode === "forbidden"))
        mismatches.push(`${name} anonymous: ${anonCode}`);
      checked++;
      for (const role of roles) {
        const result = await runAction(definition, principalFor(role), {});
        const code = result.ok ? "ok" : result.error.code;
        const allowed = roleAllows(role, definition.permission);
        if (!allowed && code !== "forbidden") mismatches.push(`${name} as ${role}: expected forbidden, got ${code}`);
        if (allowed && (code === "forbidden" || code === "unauthorized"))
          mismatches.push(`${name} as ${role}: expected allowed, got ${code}`);
        checked++;
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(actionRegistry.size * (roles.length + 1));
  });
});

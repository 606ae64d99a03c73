import { readFile, symlink } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invokeTool, registerBuiltinTools } from "@/lib/tools";
import { openWorkspace } from "@/lib/workspace";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { auditFor, installJobs, newRun, scopeFor, testJob, testWorkspacesDir, removeTestWorkspaces } from "../helpers/agent-fixtures";

/** Two runs at once, each trying every way into the other's workspace. */
let handle: TestDatabase;
const job = testJob({
  id: "isolation",
  agent: { model: "default", instructions: "t", tools: ["read_file", "write_file", "list_files", "delete_file"], maxTurns: 5 },
});

beforeAll(async () => {
  handle = await createTestDatabase();
  registerBuiltinTools();
  await installJobs(handle.db, [job]);
});
afterAll(async () => {
  await handle.drop();
  await removeTestWorkspaces();
});

describe("two concurrent runs", () => {
  it("are refused each other's files, and every refusal is audited with the attempted path", async () => {
    const base = await testWorkspacesDir();
    const [a, b] = [await newRun(handle.db, job.id), await newRun(handle.db, job.id)];
    const scopes = { [a]: await scopeFor(handle.db, a, job), [b]: await scopeFor(handle.db, b, job) };
    const wsA = await openWorkspace(a, { baseDir: base });
    const wsB = await openWorkspace(b, { baseDir: base });
    await wsA.writeFile("secret.txt", "A's secret");
    await wsB.writeFile("secret.txt", "B's secret");
    // A link planted inside each workspace that points into the other one.
    await symlink(wsB.root, path.join(wsA.root, "to-other"));
    await symlink(wsA.root, path.join(wsB.root, "to-other"));

    const attempts = (other: string, otherRoot: string) => [
      { tool: "read_file", input: { path: `../${other}/secret.txt` } },
      { tool: "read_file", input: { path: path.join(otherRoot, "secret.txt") } },
      { tool: "read_file", input: { path: "to-other/secret.txt" } },
      { tool: "write_file", input: { path: `../${other}/secret.txt`, content: "overwritten" } },
      { tool: "write_file", input: { path: "to-other/secret.txt", content: "overwritten" } },
      { tool: "write_file", input: { path: "to-other/new.txt", content: "planted" } },
      { tool: "list_files", input: { path: `../${other}` } },
      { tool: "list_files", input: { path: "to-other" } },
      { tool: "delete_file", input: { path: `../${other}/secret.txt` } },
      { tool: "delete_file", input: { path: "to-other/secret.txt" } },
    ];
    const plan = [
      { runId: a, tries: attempts(b, wsB.root) },
      { runId: b, tries: attempts(a, wsA.root) },
    ];
    const results = await Promise.all(
      plan.map(({ runId, tries }) =>
        Promise.all(
          tries.map((t, callIndex) =>
            invokeTool(scopes[runId] ?? (() => { throw new Error("no scope"); })(), { toolCallId: `c${callIndex}`, toolName: t.tool, input: t.input, turnIndex: 0, callIndex }),
          ),
        ),
      ),
    );

    for (const [i, runResults] of results.entries()) {
      for (const r of runResults) expect(r.outcome, `${plan[i]?.runId} ${r.tool} ${JSON.stringify(r.input)}`).toBe("refused");
    }
    expect(await readFile(path.join(wsA.root, "secret.txt"), "utf8")).toBe("A's secret");
    expect(await readFile(path.join(wsB.root, "secret.txt"), "utf8")).toBe("B's secret");
    expect((await wsA.list(".")).entries.map((e) => e.path).sort()).toEqual(["secret.txt", "to-other"]);

    for (const { runId, tries } of plan) {
      const refusals = await auditFor(handle.db, runId, "workspace.escape_refused");
      expect(refusals).toHaveLength(tries.length);
      expect(refusals.map((e) => e.payload.attemptedPath).sort()).toEqual(tries.map((t) => t.input.path).sort());
      expect(refusals.every((e) => e.actorKind === "run" && e.actorId === runId)).toBe(true);
    }
  });
});

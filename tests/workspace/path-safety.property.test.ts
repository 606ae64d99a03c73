import { and, eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workspaceFiles } from "@/db/schema";
import { openWorkspace, WorkspaceEscapeError, workspacePathComponents, type Workspace } from "@/lib/workspace";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { installJobs, newRun, testJob } from "../helpers/agent-fixtures";

/**
 * Generated hostile paths against a workspace stored in the database, with a sibling run
 * whose id shares the prefix. Every operation is refused or stays in the run's own rows
 * under a normalised path; the sibling's files are never read or changed. Files are rows,
 * not disk entries, so there is no link, FIFO or hard link to plant.
 */
let handle: TestDatabase;
let ws: Workspace;
let runA: string;
let runB: string;
const SIBLING_SECRET = "SIBLING-SECRET-91bc";
const job = testJob({ id: "ws-paths", agent: { model: "default", instructions: "t", tools: [], maxTurns: 1 } });

beforeAll(async () => {
  handle = await createTestDatabase();
  await installJobs(handle.db, [job]);
  [runA, runB] = [await newRun(handle.db, job.id), await newRun(handle.db, job.id)];
  ws = await openWorkspace(runA, { db: handle.db, quotaBytes: 50 * 1024 * 1024 });
  await (await openWorkspace(runB, { db: handle.db })).writeFile("secret.txt", SIBLING_SECRET);
  await ws.writeFile("docs/readme.md", "inside");
});
afterAll(async () => {
  await handle.drop();
});

const component = fc.oneof(
  fc.constantFrom(
    "..",
    ".",
    "",
    "...",
    "%2e%2e",
    "%2E%2E%2F",
    "..%2f",
    "..%c0%af",
    "%00",
    "..\\..",
    "\\",
    "run-10",
    "run-1",
    "docs",
    "up",
    "secret.txt",
    "etc",
    "passwd",
    "．．",
    "\u2025",
    "\u202e..",
    "~",
    "$HOME",
    "*",
    " ",
    "..\u0000",
    "\u0000",
    "a\nb",
    "con",
    "\uD83D\uDE00",
    "x".repeat(300),
    "é",
    "e\u0301",
    "%",
    "_",
  ),
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.stringMatching(/^[a-z0-9._-]{1,8}$/),
);

const hostilePath = fc
  .tuple(
    fc.constantFrom("", "", "", "/", "./", "//", "C:", "C:\\", "~/"),
    fc.array(component, { minLength: 0, maxLength: 6 }),
    fc.constantFrom("/", "/", "/", "\\", "//", "/./"),
  )
  .map(([prefix, parts, sep]) => prefix + parts.join(sep));

async function rowsOf(runId: string) {
  return handle.db.select().from(workspaceFiles).where(eq(workspaceFiles.runId, runId));
}

describe("workspace path safety (property)", () => {
  it("stays in the run's own rows under normalised paths and never touches the sibling", async () => {
    const siblingBefore = JSON.stringify(await rowsOf(runB));
    let refused = 0;
    let allowed = 0;
    await fc.assert(
      fc.asyncProperty(hostilePath, fc.constantFrom("read", "write", "list", "delete"), async (p, op) => {
        try {
          if (op === "read") {
            const r = await ws.readFile(p, 4096);
            expect(r.content).not.toContain(SIBLING_SECRET);
          } else if (op === "write") {
            const r = await ws.writeFile(p, "written-by-property-test");
            expect(r.path).toBe(workspacePathComponents(p).join("/"));
          } else if (op === "list") {
            const r = await ws.list(p, true, 200);
            for (const e of r.entries) expect(e.path.startsWith("/")).toBe(false);
          } else {
            await ws.deleteFile(p);
          }
          allowed++;
        } catch (error) {
          if (error instanceof WorkspaceEscapeError) refused++;
          // Anything else (no such file, is a directory…) is an ordinary error inside the workspace.
        }
      }),
      { numRuns: 800, seed: 20_261_101 },
    );
    expect(JSON.stringify(await rowsOf(runB))).toBe(siblingBefore);
    for (const row of await rowsOf(runA)) {
      const parts = row.path.split("/");
      expect(
        parts.every((c) => c !== "" && c !== "." && c !== ".." && !c.includes("\0")),
        row.path,
      ).toBe(true);
    }
    expect(refused).toBeGreaterThan(100);
    expect(allowed).toBeGreaterThan(50);
  }, 120_000);

  it("refuses each kind of escape by name", async () => {
    const cases: [string, RegExp][] = [
      ["../run-10/secret.txt", /'\.\.'/],
      ["docs/../../secret.txt", /'\.\.'/],
      ["/etc/passwd", /absolute/],
      ["C:\\x", /backslash|absolute/],
      ["notes\0.txt", /NUL/],
      ["a".repeat(300), /too long/],
    ];
    for (const [p, why] of cases) {
      for (const op of [() => ws.readFile(p, 10), () => ws.writeFile(p, "x"), () => ws.deleteFile(p)]) {
        const error = await op().catch((e: unknown) => e);
        expect(error, p).toBeInstanceOf(WorkspaceEscapeError);
        expect((error as Error).message, p).toMatch(why);
      }
    }
    await expect((await openWorkspace(runB, { db: handle.db })).readFile("secret.txt", 100)).resolves.toMatchObject({
      content: SIBLING_SECRET,
    });
  });

  it("a file and a folder cannot share a path", async () => {
    await ws.writeFile("tree/leaf.txt", "leaf");
    await expect(ws.writeFile("tree", "x")).rejects.toThrow(/is a directory/);
    await expect(ws.writeFile("tree/leaf.txt/under", "x")).rejects.toThrow(/not a directory/);
    await expect(ws.readFile("tree", 10)).rejects.toThrow(/not a file/);
    await expect(ws.deleteFile("tree")).rejects.toThrow(/not empty/);
    expect(await ws.deleteFile("tree/leaf.txt")).toEqual({ path: "tree/leaf.txt", deleted: true });
    expect(await ws.deleteFile("tree/leaf.txt")).toEqual({ path: "tree/leaf.txt", deleted: false });
  });
});

describe("workspace quota", () => {
  it("refuses a write that would exceed the quota, counts replaced files once, and gives bytes back on delete", async () => {
    const run = await newRun(handle.db, job.id);
    const small = await openWorkspace(run, { db: handle.db, quotaBytes: 2048 });
    await small.writeFile("a.txt", "x".repeat(1500));
    await small.writeFile("a.txt", "y".repeat(1800)); // replaces: 1800 in use, not 3300
    await expect(small.writeFile("b.txt", "z".repeat(300))).rejects.toThrow(
      /quota exceeded: 1800 bytes used, writing 300/,
    );
    expect(await small.usage()).toBe(1800);
    await small.deleteFile("a.txt");
    expect(await small.usage()).toBe(0);
    // Concurrent writers of one run cannot overshoot together.
    const writes = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => small.writeFile(`c${i}.txt`, "q".repeat(500))),
    );
    expect(writes.filter((w) => w.status === "fulfilled")).toHaveLength(4);
    expect(await small.usage()).toBe(2000);
    const [row] = await handle.db
      .select()
      .from(workspaceFiles)
      .where(and(eq(workspaceFiles.runId, run), eq(workspaceFiles.path, "c0.txt")));
    expect(row?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

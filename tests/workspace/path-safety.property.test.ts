import { mkdtemp, mkdir, readFile, readdir, lstat, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isWithin, openWorkspace, resolveWorkspacePath, WorkspaceEscapeError, type Workspace } from "@/lib/workspace";

/**
 * Thousands of generated hostile paths against a workspace with planted symlinks that
 * lead outside, to a sibling workspace sharing its name prefix (run-1 vs run-10), to
 * nowhere, and inside. Every operation is either refused or stays inside; the outside
 * world and the sibling are byte-for-byte unchanged and never read.
 */
let base: string;
let ws: Workspace;
let sibling: string;
let outside: string;
const OUTSIDE_SECRET = "OUTSIDE-SECRET-7f3a";
const SIBLING_SECRET = "SIBLING-SECRET-91bc";

async function plant(): Promise<void> {
  const link = async (name: string, target: string) => {
    const at = path.join(ws.root, name);
    const exists = await lstat(at).then(() => true, () => false);
    if (!exists) await symlink(target, at);
  };
  await mkdir(path.join(ws.root, "docs"), { recursive: true });
  await link("link-out", outside);
  await link("link-out-file", path.join(outside, "secret.txt"));
  await link("link-sibling", "../run-10");
  await link("link-sibling-file", path.join(sibling, "secret.txt"));
  await link("dangling", path.join(outside, "does-not-exist"));
  await link("link-root", "/");
  await link("inner-link", "docs");
  await link("docs/up", "../..");
}

async function snapshot(dir: string): Promise<string> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const name of (await readdir(d)).sort()) {
      const p = path.join(d, name);
      const s = await lstat(p);
      if (s.isDirectory()) {
        out.push(`d ${p}`);
        await walk(p);
      } else out.push(`f ${p} ${s.isFile() ? await readFile(p, "utf8") : "link"}`);
    }
  };
  await walk(dir);
  return out.join("\n");
}

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), "fd-ws-"));
  const workspaces = path.join(base, "workspaces");
  outside = path.join(base, "outside");
  await mkdir(outside, { recursive: true });
  await writeFile(path.join(outside, "secret.txt"), OUTSIDE_SECRET);
  ws = await openWorkspace("run-1", { baseDir: workspaces, quotaBytes: 50 * 1024 * 1024 });
  sibling = path.join(workspaces, "run-10");
  await mkdir(sibling, { recursive: true });
  await writeFile(path.join(sibling, "secret.txt"), SIBLING_SECRET);
  await plant();
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const component = fc.oneof(
  fc.constantFrom(
    "..", ".", "", "...", "%2e%2e", "%2E%2E%2F", "..%2f", "..%c0%af", "%00", "..\\..", "\\", "run-10", "run-1",
    "link-out", "link-out-file", "link-sibling", "link-sibling-file", "dangling", "link-root", "inner-link",
    "docs", "up", "secret.txt", "etc", "passwd", "．．", "\u2025", "\u202e..", "~", "$HOME", "*", " ", "..\u0000",
    "\u0000", "a\nb", "con", "\uD83D\uDE00", "x".repeat(300), "é", "e\u0301",
  ),
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.stringMatching(/^[a-z0-9._-]{1,8}$/),
);

const hostilePath = fc
  .tuple(
    fc.constantFrom("", "", "", "/", "./", "//", "C:", "C:\\", "~/"),
    fc.array(component, { minLength: 0, maxLength: 6 }),
    fc.constantFrom("/", "/", "/", "\\", "//", "/./"),
    fc.boolean(),
  )
  .map(([prefix, parts, sep, absolute]) => {
    const joined = prefix + parts.join(sep);
    return absolute ? path.join(base, "outside", joined) : joined;
  });

describe("workspace path safety (property)", () => {
  it("never resolves outside the workspace, never reads or changes anything outside", async () => {
    const before = { outside: await snapshot(outside), sibling: await snapshot(sibling) };
    const rootReal = await realpath(ws.root);
    let refused = 0;
    let allowed = 0;
    await fc.assert(
      fc.asyncProperty(hostilePath, fc.constantFrom("resolve", "read", "write", "list", "delete"), async (p, op) => {
        await plant();
        try {
          if (op === "resolve") {
            const r = await resolveWorkspacePath(ws.root, p);
            expect(isWithin(rootReal, r.absolute)).toBe(true);
          } else if (op === "read") {
            const r = await ws.readFile(p, 4096);
            expect(r.content).not.toContain(OUTSIDE_SECRET);
            expect(r.content).not.toContain(SIBLING_SECRET);
          } else if (op === "write") {
            await ws.writeFile(p, "written-by-property-test");
          } else if (op === "list") {
            const r = await ws.list(p, true, 200);
            for (const e of r.entries) expect(e.path.startsWith("/")).toBe(false);
          } else {
            await ws.deleteFile(p);
          }
          allowed++;
        } catch (error) {
          if (error instanceof WorkspaceEscapeError) refused++;
          // Anything else (ENOENT, EISDIR, ENOTDIR…) is an ordinary error inside the workspace.
        }
      }),
      { numRuns: 4000, seed: 20_261_101 },
    );
    expect(await snapshot(outside)).toBe(before.outside);
    expect(await snapshot(sibling)).toBe(before.sibling);
    expect(refused).toBeGreaterThan(500);
    expect(allowed).toBeGreaterThan(100);
  }, 120_000);

  it("refuses each kind of escape by name", async () => {
    const cases: [string, RegExp][] = [
      ["../run-10/secret.txt", /'\.\.'/],
      ["docs/../../run-10/secret.txt", /'\.\.'/],
      [path.join(sibling, "secret.txt"), /absolute/],
      ["/etc/passwd", /absolute/],
      ["notes\0.txt", /NUL/],
      ["link-sibling/secret.txt", /outside/],
      ["link-out/secret.txt", /outside/],
      ["docs/up/run-10/secret.txt", /outside/],
      ["dangling/x", /nowhere/],
    ];
    for (const [p, why] of cases) {
      const error = await resolveWorkspacePath(ws.root, p).catch((e: unknown) => e);
      expect(error, p).toBeInstanceOf(WorkspaceEscapeError);
      expect((error as Error).message, p).toMatch(why);
    }
    // The final component is never followed, even when it points outside.
    await expect(ws.readFile("link-out-file", 100)).rejects.toBeInstanceOf(WorkspaceEscapeError);
    await expect(ws.writeFile("link-sibling-file", "x")).rejects.toBeInstanceOf(WorkspaceEscapeError);
    expect(await readFile(path.join(sibling, "secret.txt"), "utf8")).toBe(SIBLING_SECRET);
  });

  it("compares path components, not string prefixes", () => {
    expect(isWithin("/data/workspaces/run-1", "/data/workspaces/run-10")).toBe(false);
    expect(isWithin("/data/workspaces/run-1", "/data/workspaces/run-1/x")).toBe(true);
    expect(isWithin("/data/workspaces/run-1", "/data/workspaces/run-1")).toBe(true);
    expect(isWithin("/data/workspaces/run-1", "/data/workspaces")).toBe(false);
  });

  it("deleting a link removes the link, never its target", async () => {
    await ws.deleteFile("link-out-file");
    expect(await readFile(path.join(outside, "secret.txt"), "utf8")).toBe(OUTSIDE_SECRET);
    await plant();
  });
});

describe("workspace quota", () => {
  it("refuses a write that would exceed the quota and counts replaced files once", async () => {
    const small = await openWorkspace("quota-run", { baseDir: path.join(base, "workspaces"), quotaBytes: 2048 });
    await small.writeFile("a.txt", "x".repeat(1500));
    await small.writeFile("a.txt", "y".repeat(1800)); // replaces: 1800 in use, not 3300
    await expect(small.writeFile("b.txt", "z".repeat(300))).rejects.toThrow(/quota exceeded/);
    expect(await small.usage()).toBe(1800);
  });
});

import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { openWorkspace, workspacesDir } from "@/lib/workspace";
import { listRunFiles, readRunFile } from "./workspace-files";

let dataDir: string;
const previous = process.env.FLIGHTDECK_DATA_DIR;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "fd-board-ws-"));
  process.env.FLIGHTDECK_DATA_DIR = dataDir;
  resetEnvCache();
  const ws = await openWorkspace("run-1");
  await ws.writeFile("drafts/reply.md", "# Hello\nThanks for writing.");
  await ws.writeFile("bin.dat", "a\u0000b");
  // A sibling run and a link out of the workspace: neither may be read through run-1.
  await (await openWorkspace("run-10")).writeFile("secret.txt", "not yours");
  writeFileSync(path.join(dataDir, "outside.txt"), "OUTSIDE-CONTENT");
  symlinkSync(path.join(dataDir, "outside.txt"), path.join(workspacesDir(), "run-1", "link.txt"));
  mkdirSync(path.join(workspacesDir(), "run-1", "empty"));
});
afterAll(() => {
  process.env.FLIGHTDECK_DATA_DIR = previous;
  resetEnvCache();
});

describe("run workspace viewing", () => {
  it("lists the run's own files without following links", async () => {
    const listing = await listRunFiles("run-1");
    expect(listing.exists).toBe(true);
    expect(listing.entries.map((e) => [e.path, e.type])).toEqual([
      ["bin.dat", "file"],
      ["drafts", "directory"],
      ["drafts/reply.md", "file"],
      ["empty", "directory"],
      ["link.txt", "symlink"],
    ]);
  });

  it("shows text, marks binary, and refuses escapes, links and siblings", async () => {
    expect(await readRunFile("run-1", "drafts/reply.md")).toMatchObject({ kind: "text", content: "# Hello\nThanks for writing.", truncated: false });
    expect(await readRunFile("run-1", "bin.dat")).toMatchObject({ kind: "binary" });
    for (const hostile of ["../run-10/secret.txt", "/etc/passwd", "link.txt", "drafts/../../run-10/secret.txt"]) {
      const view = await readRunFile("run-1", hostile);
      expect(view.kind, hostile).toBe("error");
      expect(JSON.stringify(view)).not.toContain("not yours");
      expect(JSON.stringify(view)).not.toContain("OUTSIDE-CONTENT");
    }
  });

  it("does not create a workspace for a run that has none", async () => {
    expect(await listRunFiles("run-2")).toEqual({ exists: false, entries: [], truncated: false });
    expect((await listRunFiles("run-2")).exists).toBe(false);
  });
});

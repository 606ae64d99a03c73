import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openWorkspace } from "@/lib/workspace";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { installJobs, newRun, testJob } from "@/tests/helpers/agent-fixtures";
import { listRunFiles, readRunFile, workspaceFileForApi, workspaceListingForApi } from "./workspace-files";

let handle: TestDatabase;
let run1: string;
let run2: string;
let run3: string;
const job = testJob({ id: "board-ws", agent: { model: "default", instructions: "t", tools: [], maxTurns: 1 } });

beforeAll(async () => {
  handle = await createTestDatabase();
  await installJobs(handle.db, [job]);
  [run1, run2, run3] = [
    await newRun(handle.db, job.id),
    await newRun(handle.db, job.id),
    await newRun(handle.db, job.id),
  ];
  const ws = await openWorkspace(run1, { db: handle.db, turnIndex: 3 });
  await ws.writeFile("drafts/reply.md", "# Hello\nThanks for writing.");
  await ws.writeFile("bin.dat", "a\u0000b");
  await (await openWorkspace(run2, { db: handle.db })).writeFile("secret.txt", "not yours");
});
afterAll(async () => {
  await handle.drop();
});

describe("run workspace viewing (from the database)", () => {
  it("lists the run's own files and the folders they imply", async () => {
    const listing = await listRunFiles(run1, handle.db);
    expect(listing.exists).toBe(true);
    expect(listing.entries.map((e) => [e.path, e.type])).toEqual([
      ["bin.dat", "file"],
      ["drafts", "directory"],
      ["drafts/reply.md", "file"],
    ]);
  });

  it("shows text, marks binary, and refuses escapes and siblings", async () => {
    expect(await readRunFile(run1, "drafts/reply.md", handle.db)).toMatchObject({
      kind: "text",
      content: "# Hello\nThanks for writing.",
      truncated: false,
    });
    expect(await readRunFile(run1, "bin.dat", handle.db)).toMatchObject({ kind: "binary" });
    for (const hostile of [`../${run2}/secret.txt`, "/etc/passwd", "secret.txt", `drafts/../../${run2}/secret.txt`]) {
      const view = await readRunFile(run1, hostile, handle.db);
      expect(view.kind, hostile).toBe("error");
      expect(JSON.stringify(view)).not.toContain("not yours");
    }
  });

  it("a run without files shows no workspace", async () => {
    expect(await listRunFiles(run3, handle.db)).toEqual({ exists: false, entries: [], truncated: false });
  });

  it("the API listing carries size, sha256 and the writing turn; a missing path is 404", async () => {
    const listing = await workspaceListingForApi(handle.db, run1);
    expect(listing.files).toEqual([
      expect.objectContaining({ path: "bin.dat", bytes: 3, turnIndex: 3 }),
      expect.objectContaining({
        path: "drafts/reply.md",
        bytes: 27,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        turnIndex: 3,
      }),
    ]);
    expect(listing.usedBytes).toBe(30);
    const file = await workspaceFileForApi(handle.db, run1, "drafts/reply.md");
    expect(await file.text()).toBe("# Hello\nThanks for writing.");
    await expect(workspaceFileForApi(handle.db, run1, "nope.txt")).rejects.toMatchObject({ code: "not_found" });
    await expect(workspaceListingForApi(handle.db, "no-such-run")).rejects.toMatchObject({ code: "not_found" });
  });
});

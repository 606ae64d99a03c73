import "server-only";
import { eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { runs } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { redactString } from "@/lib/redaction";
import { openWorkspace, WorkspaceEscapeError, type WorkspaceEntry } from "@/lib/workspace";

/** Files are shown up to this size; larger ones are cut with a note. */
export const MAX_VIEW_BYTES = 256 * 1024;
const MAX_ENTRIES = 500;

export interface WorkspaceListing {
  exists: boolean;
  entries: WorkspaceEntry[];
  truncated: boolean;
}

/**
 * The run's workspace, read-only, from the database (every host sees the same files):
 * each file with its size, SHA-256 and the turn that wrote it, and the folders they imply.
 */
export async function listRunFiles(runId: string, db?: Db): Promise<WorkspaceListing> {
  const workspace = await openWorkspace(runId, { db: db ?? (await getDb()) }).catch(() => null);
  if (!workspace) return { exists: false, entries: [], truncated: false };
  const { entries, truncated } = await workspace.list(".", true, MAX_ENTRIES);
  return { exists: entries.length > 0, entries, truncated };
}

export type FileView =
  | { kind: "text"; path: string; content: string; bytes: number; truncated: boolean }
  | { kind: "binary"; path: string; bytes: number }
  | { kind: "error"; path: string; message: string };

/** One file of the run's workspace, as text; the workspace refuses paths that leave it. */
export async function readRunFile(runId: string, path: string, db?: Db): Promise<FileView> {
  try {
    const workspace = await openWorkspace(runId, { db: db ?? (await getDb()) });
    const file = await workspace.readFile(path, MAX_VIEW_BYTES);
    if (file.content.includes("\u0000")) return { kind: "binary", path: file.path, bytes: file.bytes };
    // Shown redacted: secrets a tool wrote into the workspace never reach the page.
    return {
      kind: "text",
      path: file.path,
      content: redactString(file.content),
      bytes: file.bytes,
      truncated: file.truncated,
    };
  } catch (error) {
    const known =
      error instanceof WorkspaceEscapeError ||
      (error instanceof Error && /^(no such file|not a file)/.test(error.message));
    const message = known && error instanceof Error ? error.message : "This path cannot be shown.";
    return { kind: "error", path, message };
  }
}

async function requireRun(db: Db, runId: string): Promise<void> {
  const [row] = await db.select({ id: runs.id }).from(runs).where(eq(runs.id, runId));
  if (!row) throw new AppError("not_found", `Run ${runId} not found`);
}

/** GET /api/runs/{id}/workspace: every file (path, size, sha256, written by which turn). 404 for an unknown run. */
export async function workspaceListingForApi(db: Db, runId: string) {
  await requireRun(db, runId);
  const workspace = await openWorkspace(runId, { db });
  const { entries, truncated } = await workspace.list(".", true, 10_000);
  const files = entries
    .filter((e) => e.type === "file")
    .map((e) => ({
      path: e.path,
      bytes: e.bytes,
      sha256: e.sha256,
      turnIndex: e.turnIndex ?? null,
      writtenAt: e.writtenAt,
    }));
  return { runId, files, usedBytes: await workspace.usage(), truncated };
}

/** GET /api/runs/{id}/workspace/{path}: the file's bytes; 404 for an unknown run or a path that is no file. */
export async function workspaceFileForApi(db: Db, runId: string, path: string): Promise<Response> {
  await requireRun(db, runId);
  const workspace = await openWorkspace(runId, { db });
  let file;
  try {
    file = await workspace.readFile(path, Number.MAX_SAFE_INTEGER);
  } catch (error) {
    if (error instanceof WorkspaceEscapeError)
      throw new AppError("bad_request", error.message, { issues: [{ path: ["path"], message: error.why }] });
    throw new AppError("not_found", `No file ${path.slice(0, 200)} in the workspace of run ${runId}`);
  }
  return new Response(file.content, {
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "x-content-type-options": "nosniff",
      "content-disposition": "inline",
    },
  });
}

import "server-only";
import { redactString } from "@/lib/redaction";
import { openWorkspace, resolveWorkspacePath, WorkspaceEscapeError, workspacesDir, type WorkspaceEntry } from "@/lib/workspace";

/** Files are shown up to this size; larger ones are cut with a note. */
export const MAX_VIEW_BYTES = 256 * 1024;
const MAX_ENTRIES = 500;

export interface WorkspaceListing {
  exists: boolean;
  entries: WorkspaceEntry[];
  truncated: boolean;
}

/**
 * Whether the run has a workspace yet, asked through the workspace module's own path
 * resolution (the run id is a path component under the workspaces directory). Viewing
 * never creates a workspace.
 */
async function hasWorkspace(runId: string): Promise<boolean> {
  try {
    const resolved = await resolveWorkspacePath(workspacesDir(), runId);
    return resolved.exists && resolved.relative === runId;
  } catch {
    // No workspaces directory yet, or an id that is not a plain path component.
    return false;
  }
}

/** The run's workspace, read-only: every file and directory, without following links. */
export async function listRunFiles(runId: string): Promise<WorkspaceListing> {
  if (!(await hasWorkspace(runId))) return { exists: false, entries: [], truncated: false };
  const workspace = await openWorkspace(runId);
  const { entries, truncated } = await workspace.list(".", true, MAX_ENTRIES);
  return { exists: true, entries, truncated };
}

export type FileView =
  | { kind: "text"; path: string; content: string; bytes: number; truncated: boolean }
  | { kind: "binary"; path: string; bytes: number }
  | { kind: "error"; path: string; message: string };

/** One file of the run's workspace, as text; the workspace refuses paths that leave it. */
export async function readRunFile(runId: string, path: string): Promise<FileView> {
  if (!(await hasWorkspace(runId))) return { kind: "error", path, message: "This run has no workspace." };
  try {
    const workspace = await openWorkspace(runId);
    const file = await workspace.readFile(path, MAX_VIEW_BYTES);
    if (file.content.includes("\u0000")) return { kind: "binary", path: file.path, bytes: file.bytes };
    // Shown redacted: secrets a tool wrote into the workspace never reach the page.
    return { kind: "text", path: file.path, content: redactString(file.content), bytes: file.bytes, truncated: file.truncated };
  } catch (error) {
    const known = error instanceof WorkspaceEscapeError || (error instanceof Error && /^(no such file|not a file)/.test(error.message));
    const message = known && error instanceof Error ? error.message : "This path cannot be shown.";
    return { kind: "error", path, message };
  }
}

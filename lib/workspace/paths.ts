import "server-only";
import { lstat, realpath } from "node:fs/promises";
import path from "node:path";
import { WorkspaceEscapeError } from "./errors";

const MAX_PATH_BYTES = 1024;
const MAX_COMPONENT_BYTES = 255;

/**
 * The lexical half of path safety: a workspace path is relative, slash-separated, has no
 * `..` component and no NUL byte. Returns its components (no "" or "."). Nothing is
 * decoded: "%2e%2e" is a file name, not a parent reference.
 */
export function workspacePathComponents(userPath: unknown): string[] {
  if (typeof userPath !== "string") throw new WorkspaceEscapeError(String(userPath), "path must be a string");
  const shown = userPath.slice(0, 300);
  if (userPath.includes("\0")) throw new WorkspaceEscapeError(shown, "NUL byte in path");
  if (Buffer.byteLength(userPath) > MAX_PATH_BYTES) throw new WorkspaceEscapeError(shown, "path too long");
  if (userPath.includes("\\")) throw new WorkspaceEscapeError(shown, "backslashes are not path separators here");
  if (path.posix.isAbsolute(userPath) || /^[A-Za-z]:/.test(userPath)) {
    throw new WorkspaceEscapeError(shown, "absolute paths are not allowed");
  }
  const components = userPath.split("/").filter((c) => c !== "" && c !== ".");
  for (const c of components) {
    if (c === "..") throw new WorkspaceEscapeError(shown, "'..' is not allowed");
    if (Buffer.byteLength(c) > MAX_COMPONENT_BYTES) throw new WorkspaceEscapeError(shown, "path component too long");
  }
  return components;
}

/** Component-wise containment: /data/run-1 does not contain /data/run-10. */
export function isWithin(root: string, candidate: string): boolean {
  const a = path.resolve(root).split(path.sep).filter(Boolean);
  const b = path.resolve(candidate).split(path.sep).filter(Boolean);
  if (b.length < a.length) return false;
  return a.every((c, i) => b[i] === c);
}

export interface ResolvedWorkspacePath {
  /** Absolute path to operate on; every existing part of it is a real (symlink-free) path. */
  absolute: string;
  /** The normalised relative path, for messages and listings. */
  relative: string;
  exists: boolean;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}

/**
 * The filesystem half: resolves the deepest existing ancestor with realpath (following any
 * symlink on the way) and requires it to lie within the workspace's real root; the rest
 * of the path does not exist yet, so it cannot hide a link. Callers still open the final
 * component with O_NOFOLLOW, which closes the gap if a link is planted after this check.
 * `attempted` is the path refusals report when it differs from `userPath` (a parent lookup).
 */
export async function resolveWorkspacePath(root: string, userPath: unknown, attempted?: string): Promise<ResolvedWorkspacePath> {
  const components = workspacePathComponents(userPath);
  const shown = (attempted ?? String(userPath)).slice(0, 300);
  const rootReal = await realpath(root);
  for (let i = components.length; i >= 0; i--) {
    const candidate = path.join(rootReal, ...components.slice(0, i));
    try {
      await lstat(candidate);
    } catch (error) {
      if (isMissing(error)) continue;
      throw error;
    }
    let real: string;
    try {
      real = await realpath(candidate);
    } catch (error) {
      if (isMissing(error)) throw new WorkspaceEscapeError(shown, "symlink that leads nowhere");
      throw error;
    }
    if (!isWithin(rootReal, real)) throw new WorkspaceEscapeError(shown, "resolves outside the run's workspace");
    return {
      absolute: path.join(real, ...components.slice(i)),
      relative: components.join("/") || ".",
      exists: i === components.length,
    };
  }
  // Unreachable: the root itself exists (i = 0).
  throw new WorkspaceEscapeError(shown, "workspace root is missing");
}

/** Re-checks a directory right before a file in it is opened (narrows the check-to-use window). */
export async function assertRealDirWithin(root: string, dir: string, shown: string): Promise<void> {
  const [rootReal, dirReal] = await Promise.all([realpath(root), realpath(dir)]);
  if (!isWithin(rootReal, dirReal)) throw new WorkspaceEscapeError(shown, "resolves outside the run's workspace");
}

import "server-only";
import path from "node:path";
import { WorkspaceEscapeError } from "./errors";

const MAX_PATH_BYTES = 1024;
const MAX_COMPONENT_BYTES = 255;

/**
 * The path rules of a workspace: a path is relative, slash-separated, has no `..` component
 * and no NUL byte. Returns its components (no "" or "."). Nothing is decoded: "%2e%2e" is a
 * file name, not a parent reference. Files live in the database keyed by the normalised
 * path, so these lexical rules are the whole story: there is no file system to escape into.
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

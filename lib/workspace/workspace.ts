import "server-only";
import { constants } from "node:fs";
import { lstat, mkdir, open, readdir, rmdir, unlink } from "node:fs/promises";
import path from "node:path";
import { getEnv } from "@/lib/env";
import { WorkspaceEscapeError, WorkspaceQuotaError } from "./errors";
import { assertRealDirWithin, resolveWorkspacePath, workspacePathComponents } from "./paths";

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export function workspacesDir(): string {
  return path.resolve(getEnv().FLIGHTDECK_DATA_DIR, "workspaces");
}

export interface WorkspaceEntry {
  path: string;
  type: "file" | "directory" | "symlink";
  bytes: number;
}

/**
 * One run's directory: `<FLIGHTDECK_DATA_DIR>/workspaces/<runId>`. Every operation resolves
 * its path through resolveWorkspacePath and never follows a link in the final component.
 */
export class Workspace {
  constructor(
    readonly runId: string,
    readonly root: string,
    readonly quotaBytes: number,
  ) {}

  async readFile(userPath: unknown, maxBytes: number): Promise<{ path: string; content: string; bytes: number; truncated: boolean }> {
    const target = await resolveWorkspacePath(this.root, userPath);
    if (!target.exists) throw new Error(`no such file: ${target.relative}`);
    const handle = await openNoFollow(target.absolute, constants.O_RDONLY, String(userPath));
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw new Error(`not a file: ${target.relative}`);
      const length = Math.min(stat.size, maxBytes);
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, 0);
      return {
        path: target.relative,
        content: buffer.subarray(0, bytesRead).toString("utf8"),
        bytes: stat.size,
        truncated: stat.size > bytesRead,
      };
    } finally {
      await handle.close();
    }
  }

  async writeFile(userPath: unknown, content: string): Promise<{ path: string; bytes: number; usedBytes: number }> {
    const target = await resolveWorkspacePath(this.root, userPath);
    if (target.relative === ".") throw new Error("cannot write to the workspace root");
    const data = Buffer.from(content, "utf8");
    const used = await this.usage();
    const previous = await regularFileSize(target.absolute);
    if (used - previous + data.length > this.quotaBytes) {
      throw new WorkspaceQuotaError(used - previous, data.length, this.quotaBytes);
    }
    const dir = path.dirname(target.absolute);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await assertRealDirWithin(this.root, dir, String(userPath));
    const handle = await openNoFollow(
      target.absolute,
      constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC,
      String(userPath),
    );
    try {
      await handle.writeFile(data);
    } finally {
      await handle.close();
    }
    return { path: target.relative, bytes: data.length, usedBytes: used - previous + data.length };
  }

  async list(userPath: unknown = ".", recursive = true, limit = 500): Promise<{ entries: WorkspaceEntry[]; truncated: boolean }> {
    const target = await resolveWorkspacePath(this.root, userPath);
    if (!target.exists) return { entries: [], truncated: false };
    const entries: WorkspaceEntry[] = [];
    const prefix = target.relative === "." ? "" : `${target.relative}/`;
    const truncated = await walk(target.absolute, prefix, recursive, entries, limit);
    return { entries, truncated };
  }

  async deleteFile(userPath: unknown): Promise<{ path: string; deleted: boolean }> {
    const components = workspacePathComponents(userPath);
    const name = components.pop();
    if (name === undefined) throw new Error("cannot delete the workspace root");
    const relative = [...components, name].join("/");
    // Only the parent is resolved: a link is removed itself, never what it points at.
    const parent = await resolveWorkspacePath(this.root, components.join("/") || ".", String(userPath));
    const absolute = path.join(parent.absolute, name);
    let stat;
    try {
      stat = await lstat(absolute);
    } catch {
      return { path: relative, deleted: false };
    }
    if (stat.isDirectory()) await rmdir(absolute);
    else await unlink(absolute);
    return { path: relative, deleted: true };
  }

  /** Bytes held by regular files (links are not followed, so they count nothing). */
  async usage(): Promise<number> {
    const entries: WorkspaceEntry[] = [];
    await walk(this.root, "", true, entries, Number.POSITIVE_INFINITY);
    return entries.reduce((sum, e) => sum + (e.type === "file" ? e.bytes : 0), 0);
  }
}

async function openNoFollow(absolute: string, flags: number, shown: string) {
  try {
    return await open(absolute, flags | constants.O_NOFOLLOW, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOOP") {
      throw new WorkspaceEscapeError(shown.slice(0, 300), "symlinks are not followed");
    }
    throw error;
  }
}

async function regularFileSize(absolute: string): Promise<number> {
  try {
    const stat = await lstat(absolute);
    return stat.isFile() ? stat.size : 0;
  } catch {
    return 0;
  }
}

/** Depth-first listing without following links; returns true when `limit` cut it short. */
async function walk(dir: string, prefix: string, recursive: boolean, out: WorkspaceEntry[], limit: number): Promise<boolean> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch {
    return false;
  }
  for (const name of names) {
    if (out.length >= limit) return true;
    const absolute = path.join(dir, name);
    const stat = await lstat(absolute).catch(() => undefined);
    if (!stat) continue;
    const type = stat.isSymbolicLink() ? "symlink" : stat.isDirectory() ? "directory" : "file";
    out.push({ path: `${prefix}${name}`, type, bytes: type === "file" ? stat.size : 0 });
    if (type === "directory" && recursive && (await walk(absolute, `${prefix}${name}/`, true, out, limit))) return true;
  }
  return false;
}

/** The run's workspace, created on first use (mode 0700). */
export async function openWorkspace(runId: string, options: { baseDir?: string; quotaBytes?: number } = {}): Promise<Workspace> {
  if (!RUN_ID.test(runId)) throw new Error(`invalid run id for a workspace: ${runId.slice(0, 80)}`);
  const base = options.baseDir ?? workspacesDir();
  // The directory is only known at run time; tell the bundler not to trace the project for it.
  const root = path.join(/*turbopackIgnore: true*/ base, runId);
  await mkdir(root, { recursive: true, mode: 0o700 });
  return new Workspace(runId, root, options.quotaBytes ?? getEnv().FLIGHTDECK_WORKSPACE_QUOTA_BYTES);
}

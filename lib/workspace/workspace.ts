import "server-only";
import { createHash } from "node:crypto";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { getDb, type Queryable, type Tx } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { workspaceBlobs, workspaceFiles, workspaceUsage } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { WorkspaceQuotaError } from "./errors";
import { assertWorkspaceLease } from "./fence";
import { workspacePathComponents } from "./paths";

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export interface WorkspaceEntry {
  path: string;
  type: "file" | "directory";
  bytes: number;
  /** Files only: content hash, the turn that wrote it, and when. */
  sha256?: string;
  turnIndex?: number | null;
  writtenAt?: string;
}

export interface WorkspaceWriter {
  /** The turn whose tool writes (recorded on each file). */
  turnIndex?: number | null;
  /** The lease the writing worker holds: every write is refused once it is gone. */
  leaseToken?: string;
}

/** Starts-with without LIKE, so `%` and `_` in names are plain characters. */
const under = (prefix: string) => sql`left(${workspaceFiles.path}, ${prefix.length}) = ${prefix}`;

function normalise(userPath: unknown): string {
  return workspacePathComponents(userPath).join("/");
}

/**
 * One run's files, stored in Postgres (or PGlite): a row per regular file keyed by run and
 * normalised path, contents in content-addressed blobs. Every host sees the same files, and
 * since nothing is on disk there is no link, FIFO, device or hard link to trip over; the
 * lexical path rules (paths.ts) still refuse `..`, absolute paths, NUL and oversized names.
 * Writes run in one transaction that checks the lease (when given) and keeps the run's byte
 * count incrementally against the quota.
 */
export class Workspace {
  constructor(
    readonly runId: string,
    private readonly db: Queryable,
    readonly quotaBytes: number,
    private readonly writer: WorkspaceWriter = {},
  ) {}

  async readFile(
    userPath: unknown,
    maxBytes: number,
  ): Promise<{ path: string; content: string; bytes: number; truncated: boolean }> {
    const relative = normalise(userPath);
    if (relative === "") throw new Error("not a file: .");
    const [row] = rowsOf<{ bytes: number; head: Buffer | Uint8Array }>(
      await this.db.execute(sql`
        select f.bytes, substring(b.content from 1 for ${Math.max(0, Math.min(2_147_483_647, Math.floor(maxBytes)))}) as head
        from workspace_files f join workspace_blobs b on b.sha256 = f.sha256
        where f.run_id = ${this.runId} and f.path = ${relative}`),
    );
    if (!row) {
      if (await this.isDirectory(relative)) throw new Error(`not a file: ${relative}`);
      throw new Error(`no such file: ${relative}`);
    }
    const head = Buffer.isBuffer(row.head) ? row.head : Buffer.from(row.head);
    const bytes = Number(row.bytes);
    return { path: relative, content: head.toString("utf8"), bytes, truncated: bytes > head.length };
  }

  async writeFile(userPath: unknown, content: string): Promise<{ path: string; bytes: number; usedBytes: number }> {
    const components = workspacePathComponents(userPath);
    const relative = components.join("/");
    if (relative === "") throw new Error("cannot write to the workspace root");
    const data = Buffer.from(content, "utf8");
    const sha256 = createHash("sha256").update(data).digest("hex");
    return this.db.transaction(async (tx) => {
      await assertWorkspaceLease(tx, this.runId, this.writer.leaseToken);
      const ancestors = components.slice(0, -1).map((_, i) => components.slice(0, i + 1).join("/"));
      if (ancestors.length > 0) {
        const [file] = await tx
          .select({ path: workspaceFiles.path })
          .from(workspaceFiles)
          .where(and(eq(workspaceFiles.runId, this.runId), inArray(workspaceFiles.path, ancestors)))
          .limit(1);
        if (file) throw new Error(`not a directory: ${file.path}`);
      }
      if (await this.isDirectory(relative, tx)) throw new Error(`is a directory: ${relative}`);
      const [previous] = await tx
        .select({ bytes: workspaceFiles.bytes })
        .from(workspaceFiles)
        .where(and(eq(workspaceFiles.runId, this.runId), eq(workspaceFiles.path, relative)))
        .for("update");
      const usedBytes = await this.charge(tx, data.length - (previous?.bytes ?? 0), data.length);
      await tx.insert(workspaceBlobs).values({ sha256, content: data, bytes: data.length }).onConflictDoNothing();
      const values = { sha256, bytes: data.length, turnIndex: this.writer.turnIndex ?? null, writtenAt: sql`now()` };
      await tx
        .insert(workspaceFiles)
        .values({ runId: this.runId, path: relative, ...values })
        .onConflictDoUpdate({ target: [workspaceFiles.runId, workspaceFiles.path], set: values });
      return { path: relative, bytes: data.length, usedBytes };
    });
  }

  async list(
    userPath: unknown = ".",
    recursive = true,
    limit = 500,
  ): Promise<{ entries: WorkspaceEntry[]; truncated: boolean }> {
    const relative = normalise(userPath);
    const prefix = relative === "" ? "" : `${relative}/`;
    const rows = await this.db
      .select()
      .from(workspaceFiles)
      .where(and(eq(workspaceFiles.runId, this.runId), prefix ? under(prefix) : undefined))
      .orderBy(asc(workspaceFiles.path));
    const entries: WorkspaceEntry[] = [];
    const seenDirs = new Set<string>();
    for (const row of rows) {
      const rest = row.path.slice(prefix.length).split("/");
      const depth = recursive ? rest.length - 1 : Math.min(1, rest.length - 1);
      for (let i = 1; i <= depth; i++) {
        const dir = prefix + rest.slice(0, i).join("/");
        if (seenDirs.has(dir)) continue;
        seenDirs.add(dir);
        entries.push({ path: dir, type: "directory", bytes: 0 });
      }
      if (!recursive && rest.length > 1) continue;
      entries.push({
        path: row.path,
        type: "file",
        bytes: row.bytes,
        sha256: row.sha256,
        turnIndex: row.turnIndex,
        writtenAt: row.writtenAt.toISOString(),
      });
    }
    // Depth-first order: a directory right before its contents.
    entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { entries: entries.slice(0, limit), truncated: entries.length > limit };
  }

  async deleteFile(userPath: unknown): Promise<{ path: string; deleted: boolean }> {
    const relative = normalise(userPath);
    if (relative === "") throw new Error("cannot delete the workspace root");
    return this.db.transaction(async (tx) => {
      await assertWorkspaceLease(tx, this.runId, this.writer.leaseToken);
      const [gone] = await tx
        .delete(workspaceFiles)
        .where(and(eq(workspaceFiles.runId, this.runId), eq(workspaceFiles.path, relative)))
        .returning({ bytes: workspaceFiles.bytes });
      if (gone) {
        await this.charge(tx, -gone.bytes, 0);
        return { path: relative, deleted: true };
      }
      if (await this.isDirectory(relative, tx)) throw new Error(`directory not empty: ${relative}`);
      return { path: relative, deleted: false };
    });
  }

  /** Bytes held by the run's files (kept by every write). */
  async usage(): Promise<number> {
    const [row] = await this.db
      .select({ bytes: workspaceUsage.bytes })
      .from(workspaceUsage)
      .where(eq(workspaceUsage.runId, this.runId));
    return Number(row?.bytes ?? 0);
  }

  private async isDirectory(relative: string, q: Queryable = this.db): Promise<boolean> {
    const [row] = await q
      .select({ path: workspaceFiles.path })
      .from(workspaceFiles)
      .where(and(eq(workspaceFiles.runId, this.runId), under(`${relative}/`)))
      .limit(1);
    return row !== undefined;
  }

  /** Adds delta to the run's byte count unless that passes the quota (one guarded UPDATE). */
  private async charge(tx: Tx, delta: number, requested: number): Promise<number> {
    await tx.insert(workspaceUsage).values({ runId: this.runId, bytes: 0 }).onConflictDoNothing();
    const [row] = await tx
      .update(workspaceUsage)
      .set({ bytes: sql`${workspaceUsage.bytes} + ${delta}` })
      .where(and(eq(workspaceUsage.runId, this.runId), sql`${workspaceUsage.bytes} + ${delta} <= ${this.quotaBytes}`))
      .returning({ bytes: workspaceUsage.bytes });
    if (row) return Number(row.bytes);
    // Read in the transaction: on PGlite a query outside it would wait for it.
    const [current] = await tx
      .select({ bytes: workspaceUsage.bytes })
      .from(workspaceUsage)
      .where(eq(workspaceUsage.runId, this.runId));
    const used = Number(current?.bytes ?? 0);
    throw new WorkspaceQuotaError(used - (requested - delta), requested, this.quotaBytes);
  }
}

/** The run's workspace (nothing is created until the first write). */
export async function openWorkspace(
  runId: string,
  options: { db?: Queryable; quotaBytes?: number } & WorkspaceWriter = {},
): Promise<Workspace> {
  if (!RUN_ID.test(runId)) throw new Error(`invalid run id for a workspace: ${runId.slice(0, 80)}`);
  const db = options.db ?? (await getDb());
  return new Workspace(runId, db, options.quotaBytes ?? getEnv().FLIGHTDECK_WORKSPACE_QUOTA_BYTES, {
    turnIndex: options.turnIndex,
    leaseToken: options.leaseToken,
  });
}

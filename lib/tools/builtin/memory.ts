import "server-only";
import { z } from "zod";
import { appendAudit } from "@/lib/audit/append";
import {
  checkWrite,
  declaredCollection,
  declaredEntity,
  entityName,
  heldByAnother,
  jobMemoryPolicy,
  listEntities,
  lockStatus,
  MemoryPolicyError,
  readEntity,
  releaseLock,
  requestLock,
  runWriteProvenance,
  writeEntity,
} from "@/lib/memory";
import type { Tx } from "@/db/client";
import { toolRedactor } from "../redactor";
import { defineTool, ToolRefusedError, type Admission } from "../types";

/**
 * Shared memory and agent-level locks as gateway tools (lib/memory holds the mechanism).
 * Bad input — a malformed entity, an unknown collection, a value the collection's schema
 * refuses, a collection the job may not write, unlocking what is not held — is an error
 * result for the model, audited as `memory.policy_violation`; the run carries on.
 */
const entity = z.string().min(1).max(300).describe("collection/key, e.g. customers/ada@lovelace.example");

function policyRefusal(error: unknown): never {
  if (error instanceof MemoryPolicyError) {
    throw new ToolRefusedError(error.message, "memory.policy_violation", { reason: error.reason, ...error.details });
  }
  throw error;
}

async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    return policyRefusal(error);
  }
}

export const memoryReadTool = defineTool({
  name: "memory_read",
  description: "Read an entity of shared memory (shared by every run). Answers its value and version, or found: false.",
  input: z.strictObject({ entity }),
  sideEffect: "none",
  dataCategories: ["shared-memory"],
  async execute({ entity }, ctx) {
    return guarded(async () => {
      const ref = declaredEntity(entity);
      const found = await readEntity(ctx.db, ref);
      if (!found) return { entity, found: false, version: 0 };
      return {
        entity,
        found: true,
        value: found.value,
        version: found.version,
        updatedAt: found.updatedAt.toISOString(),
        updatedByRun: found.updatedByRun,
      };
    });
  },
});

export const memoryWriteTool = defineTool({
  name: "memory_write",
  description:
    "Write a JSON value to an entity of shared memory. Pass expectedVersion (from memory_read; 0 = must not exist yet) to write only if nobody changed it since: a conflict writes nothing. Every write is recorded with this run as its author and can be reverted.",
  input: z.strictObject({
    entity,
    value: z.json().refine((v) => Buffer.byteLength(JSON.stringify(v)) <= 64 * 1024, {
      message: "value must be at most 64 KiB as JSON",
    }),
    expectedVersion: z.number().int().min(0).optional(),
  }),
  sideEffect: "workspace",
  writes: "database",
  dataCategories: ["shared-memory"],
  async execute({ entity, value, expectedVersion }, ctx) {
    return guarded(async () => {
      const ref = declaredEntity(entity);
      const holder = await heldByAnother(ctx.tx, entityName(ref), ctx.runId);
      if (holder)
        throw new MemoryPolicyError(
          `${entity} is locked (${holder.mode}) by run ${holder.runId.slice(0, 8)}: take memory_lock on it and wait for the lock, or write it later`,
          "locked_by_another_run",
          { entity, holder: holder.runId, mode: holder.mode },
        );
      // Secrets are taken out before the value is stored, as for every other row.
      const checked = checkWrite(ctx.jobId, ref, toolRedactor().redact(value));
      const provenance = await runWriteProvenance(ctx.tx, ctx);
      const written = await writeEntity(ctx.tx, ref, checked, {
        ...(expectedVersion === undefined ? {} : { expectedVersion }),
        provenance,
      });
      await appendAudit(ctx.tx, {
        actor: provenance.actor,
        action: "memory.written",
        subject: { type: "memory", id: entity },
        authorization: provenance.authorization,
        payload: {
          entity,
          version: written.version,
          previousVersion: written.version - 1,
          callKey: ctx.callKey,
          historyId: written.history.id,
        },
      });
      return { entity, version: written.version, written: true };
    });
  },
});

export const memoryListTool = defineTool({
  name: "memory_list",
  description:
    "List the keys (and versions) of a shared-memory collection, optionally only those starting with prefix.",
  input: z.strictObject({ collection: z.string().min(1).max(64), prefix: z.string().max(200).optional() }),
  sideEffect: "none",
  dataCategories: ["shared-memory"],
  async execute({ collection, prefix }, ctx) {
    return guarded(async () => {
      declaredCollection(collection);
      const page = await listEntities(ctx.db, collection, { ...(prefix ? { prefix } : {}), limit: 200 });
      return {
        collection,
        entities: page.entities.map((e) => ({
          entity: `${collection}/${e.key}`,
          version: e.version,
          updatedAt: e.updatedAt.toISOString(),
        })),
        more: page.more,
      };
    });
  },
});

const lockInput = z.strictObject({
  entity,
  mode: z.enum(["exclusive", "shared"]),
  timeoutMs: z
    .number()
    .int()
    .min(1)
    .max(86_400_000)
    .optional()
    .describe("wait at most this long (capped by the job's declared lock timeout)"),
});

/** The admission check of memory_lock: queue for the lock, and wait (parked) until granted. */
async function admitLock(
  input: z.output<typeof lockInput>,
  ctx: { runId: string; jobId: string; tx: Tx },
): Promise<Admission> {
  let ref;
  try {
    ref = declaredEntity(input.entity);
  } catch (error) {
    if (error instanceof MemoryPolicyError) {
      return {
        verdict: "refuse",
        message: error.message,
        auditAction: "memory.policy_violation",
        details: { reason: error.reason, ...error.details },
      };
    }
    throw error;
  }
  const policy = jobMemoryPolicy(ctx.jobId);
  const timeoutMs = Math.min(input.timeoutMs ?? policy.lockTimeoutMs, policy.lockTimeoutMs);
  const name = `${ref.collection}/${ref.key}`;
  const result = await requestLock(ctx.tx, { runId: ctx.runId, entity: name, mode: input.mode, timeoutMs });
  switch (result.status) {
    case "held":
      return { verdict: "admit" };
    case "waiting":
      return { verdict: "wait", waitingFor: `lock:${name}`, reason: `waiting for the lock on ${name}` };
    case "refused":
      return {
        verdict: "refuse",
        message: result.reason,
        auditAction: "memory.lock_refused",
        details: { entity: name, mode: input.mode },
      };
    case "invalid":
      return {
        verdict: "refuse",
        message: result.reason,
        auditAction: "memory.policy_violation",
        details: { reason: "upgrade", entity: name },
      };
  }
}

export const memoryLockTool = defineTool({
  name: "memory_lock",
  description:
    "Lock an entity of shared memory for this run: exclusive (alone) or shared (with other shared holders). If another run holds it, this run waits (without using a model slot) until it is granted; a deadlock or a wait past the timeout ends in an error. Locks are released by memory_unlock or when the run finishes.",
  input: lockInput,
  sideEffect: "workspace",
  dataCategories: ["shared-memory"],
  admit: admitLock,
  async execute({ entity, mode }, ctx) {
    // Admission granted the lock (or found it held) before this ran.
    const ref = declaredEntity(entity);
    const name = `${ref.collection}/${ref.key}`;
    const row = await lockStatus(ctx.db, ctx.runId, name);
    return {
      entity: name,
      mode: row?.mode ?? mode,
      held: row?.status === "held",
      grantedAt: row?.grantedAt?.toISOString() ?? null,
    };
  },
});

export const memoryUnlockTool = defineTool({
  name: "memory_unlock",
  description: "Release a lock this run holds on an entity of shared memory (the next waiting run is granted it).",
  input: z.strictObject({ entity }),
  sideEffect: "workspace",
  writes: "database",
  dataCategories: ["shared-memory"],
  async execute({ entity }, ctx) {
    return guarded(async () => {
      const ref = declaredEntity(entity);
      const name = `${ref.collection}/${ref.key}`;
      if (!(await releaseLock(ctx.tx, ctx.runId, name))) {
        throw new MemoryPolicyError(`this run holds no lock on ${name}`, "not_held", { entity: name });
      }
      return { entity: name, released: true };
    });
  },
});

export const memoryTools = [memoryReadTool, memoryWriteTool, memoryListTool, memoryLockTool, memoryUnlockTool];

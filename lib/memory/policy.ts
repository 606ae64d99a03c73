import "server-only";
import { appContext } from "@/lib/context";
import { getCollection } from "./collections";
import { parseEntity, type EntityRef } from "./entity";

/** Default lock wait timeout when a job declares none. */
export const DEFAULT_LOCK_TIMEOUT_MS = 300_000;

/** A call the memory policy refuses: an error result for the model, audited as `memory.policy_violation`. */
export class MemoryPolicyError extends Error {
  constructor(
    message: string,
    readonly reason:
      | "malformed_entity"
      | "unknown_collection"
      | "schema"
      | "write_not_allowed"
      | "not_held"
      | "upgrade"
      | "locked_by_another_run",
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "MemoryPolicyError";
  }
}

export interface JobMemoryPolicy {
  write: readonly string[];
  lockTimeoutMs: number;
  locks?: (input: unknown) => readonly string[];
}

/** What a job's declaration allows in shared memory (nothing to write when it declares nothing). */
export function jobMemoryPolicy(jobId: string): JobMemoryPolicy {
  // Read from the job registry's slot of the app context (lib/jobs/registry.ts), not through
  // lib/jobs: jobs → compliance → builtin tools → memory would otherwise close a cycle.
  const def = appContext().jobs?.byId.get(jobId);
  return {
    write: def?.memory?.write ?? [],
    lockTimeoutMs: def?.memory?.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
    ...(def?.locks ? { locks: def.locks } : {}),
  };
}

/** A well-formed entity of a declared collection, or a MemoryPolicyError saying which rule failed. */
export function declaredEntity(entity: string): EntityRef {
  let ref: EntityRef;
  try {
    ref = parseEntity(entity);
  } catch (error) {
    throw new MemoryPolicyError(error instanceof Error ? error.message : String(error), "malformed_entity", {
      entity: entity.slice(0, 200),
    });
  }
  if (!getCollection(ref.collection)) {
    throw new MemoryPolicyError(`unknown collection "${ref.collection}"`, "unknown_collection", {
      entity,
      collection: ref.collection,
    });
  }
  return ref;
}

export function declaredCollection(name: string): string {
  if (!getCollection(name))
    throw new MemoryPolicyError(`unknown collection "${name.slice(0, 100)}"`, "unknown_collection", {
      collection: name.slice(0, 100),
    });
  return name;
}

/** The collection's schema accepts the value (answers the parsed value), and the job may write there. */
export function checkWrite(jobId: string, ref: EntityRef, value: unknown): unknown {
  const collection = getCollection(ref.collection);
  if (!collection)
    throw new MemoryPolicyError(`unknown collection "${ref.collection}"`, "unknown_collection", {
      collection: ref.collection,
    });
  if (!jobMemoryPolicy(jobId).write.includes(ref.collection)) {
    throw new MemoryPolicyError(
      `job "${jobId}" may not write collection "${ref.collection}" (its declaration's memory.write does not list it)`,
      "write_not_allowed",
      { collection: ref.collection },
    );
  }
  const parsed = collection.schema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".") || "value"}: ${i.message}`);
    throw new MemoryPolicyError(
      `value refused by the schema of collection "${ref.collection}": ${issues.join("; ")}`,
      "schema",
      {
        collection: ref.collection,
        issues,
      },
    );
  }
  return parsed.data;
}

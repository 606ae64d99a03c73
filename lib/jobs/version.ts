import "server-only";
import { createHash } from "node:crypto";
import { canonicalJson } from "@/lib/audit/canonical";
import type { JobDefinition } from "./schema";
import { serializeJob, type SerializedJob } from "./serialize";

/** 12 hex characters of SHA-256: 48 bits, ample for the versions of one job. */
export const VERSION_LENGTH = 12;

export function versionOfSerialized(job: SerializedJob): string {
  return createHash("sha256").update(canonicalJson(job)).digest("hex").slice(0, VERSION_LENGTH);
}

const cache = new WeakMap<JobDefinition, string>();

/** The content hash that identifies this declaration in the registry. */
export function jobVersion(def: JobDefinition): string {
  let version = cache.get(def);
  if (version === undefined) {
    version = versionOfSerialized(serializeJob(def));
    cache.set(def, version);
  }
  return version;
}

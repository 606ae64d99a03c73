import "server-only";
import { z } from "zod";
import { toJsonObject, type JsonObject, type JsonValue } from "@/lib/audit/canonical";
import type { JobDefinition, JobTrigger } from "./schema";

/**
 * The declaration as plain JSON: what the registry stores per version and what the
 * content hash covers. Zod schemas become JSON Schema (input side, since that is what
 * callers send), so an old version stays readable after the code has moved on.
 */
export type SerializedTrigger =
  | { kind: "schedule"; cron: string; timezone: string }
  | { kind: "signal"; name: string; payload: JsonObject; maxBodyBytes?: number }
  | { kind: "manual" };

export interface SerializedJob {
  id: string;
  domain: string;
  title: string;
  description: string;
  input: JsonObject;
  triggers: SerializedTrigger[];
  agent: JobDefinition["agent"];
  budgets: JobDefinition["budgets"];
  scheduling: JobDefinition["scheduling"];
  governance: JobDefinition["governance"];
  memory?: JobDefinition["memory"];
  /** True when the job declares locks taken before its first turn (the function itself is code). */
  declaresLocks?: true;
  approval?: JobDefinition["approval"];
  /** Which run labels the job derives (the functions themselves are code). */
  runLabels?: { title?: true; outcome?: true };
}

export function jsonSchemaOf(schema: z.ZodType): JsonObject {
  // "any": a transform or z.date() must not make a declaration unserialisable; the
  // JSON Schema is documentation, the zod schema in code is what validates.
  return toJsonObject(z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }));
}

function serializeTrigger(trigger: JobTrigger): SerializedTrigger {
  switch (trigger.kind) {
    case "schedule":
      return { kind: "schedule", cron: trigger.cron, timezone: trigger.timezone };
    case "signal":
      return {
        kind: "signal",
        name: trigger.name,
        payload: jsonSchemaOf(trigger.payload),
        ...(trigger.maxBodyBytes !== undefined ? { maxBodyBytes: trigger.maxBodyBytes } : {}),
      };
    case "manual":
      return { kind: "manual" };
  }
}

export function jobDomain(def: JobDefinition): string {
  return def.domain ?? def.scheduling.group;
}

export function serializeJob(def: JobDefinition): SerializedJob {
  const plain: SerializedJob = {
    id: def.id,
    domain: jobDomain(def),
    title: def.title,
    description: def.description,
    input: jsonSchemaOf(def.input),
    triggers: def.triggers.map(serializeTrigger),
    agent: def.agent,
    budgets: def.budgets,
    scheduling: def.scheduling,
    governance: def.governance,
    ...(def.memory ? { memory: def.memory } : {}),
    ...(def.locks ? { declaresLocks: true as const } : {}),
    approval: def.approval,
    ...(def.run?.title || def.run?.outcome
      ? {
          runLabels: {
            ...(def.run.title ? { title: true as const } : {}),
            ...(def.run.outcome ? { outcome: true as const } : {}),
          },
        }
      : {}),
  };
  // Drops undefined optionals so the stored jsonb and the hashed value are identical.
  return toJsonObject(plain) as unknown as SerializedJob;
}

export function asJsonObject(job: SerializedJob): Record<string, JsonValue> {
  return job as unknown as Record<string, JsonValue>;
}

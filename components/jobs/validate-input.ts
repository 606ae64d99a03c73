import { z } from "zod";
import type { JsonSchema } from "./schema-fields";

type Issue = {
  path?: readonly PropertyKey[];
  code?: string;
  message?: string;
  minimum?: unknown;
  maximum?: unknown;
  origin?: string;
  format?: string;
  values?: unknown[];
  input?: unknown;
};

/** Plain-language messages for the issues zod reports (browser and server alike). */
export function friendlyMessage(issue: Issue): string {
  const n = (v: unknown) => Number(v).toLocaleString("en-US");
  switch (issue.code) {
    case "too_small":
      if (issue.origin === "string")
        return Number(issue.minimum) <= 1 ? "Required" : `At least ${n(issue.minimum)} characters`;
      return `Must be at least ${n(issue.minimum)}`;
    case "too_big":
      if (issue.origin === "string") return `At most ${n(issue.maximum)} characters`;
      return `Must be at most ${n(issue.maximum)}`;
    case "invalid_format":
      if (issue.format === "email") return "Enter a valid email address";
      if (issue.format === "regex") return "Does not have the expected format";
      return `Expected ${issue.format ?? "another format"}`;
    case "invalid_value":
      return Array.isArray(issue.values) ? `Choose one of: ${issue.values.join(", ")}` : "Not an allowed value";
    case "invalid_type":
      return issue.input === undefined || /received undefined/.test(issue.message ?? "")
        ? "Required"
        : (issue.message ?? "Wrong type");
    default:
      return issue.message ?? "Invalid value";
  }
}

/** Issues keyed by dotted path; the first issue per field wins (the most basic one). */
export function issuesByPath(issues: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(issues)) return out;
  for (const issue of issues as Issue[]) {
    const path = (issue.path ?? []).map(String).join(".") || "_form";
    out[path] ??= friendlyMessage(issue);
  }
  return out;
}

const cache = new WeakMap<object, z.ZodType | null>();

function zodFor(schema: JsonSchema): z.ZodType | null {
  if (!cache.has(schema)) {
    let built: z.ZodType | null = null;
    try {
      built = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
    } catch {
      // A schema this converter does not understand is left to the server to check.
      built = null;
    }
    cache.set(schema, built);
  }
  return cache.get(schema) ?? null;
}

/** The same rules the server applies, checked in the browser first (the server checks again). */
export function validateInput(schema: JsonSchema, input: unknown): Record<string, string> {
  const zod = zodFor(schema);
  if (!zod) return {};
  const result = zod.safeParse(input);
  return result.success ? {} : issuesByPath(result.error.issues);
}

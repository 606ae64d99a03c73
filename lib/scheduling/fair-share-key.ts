import "server-only";
import { FAIR_SHARE_KEY_MAX } from "./policy";

/**
 * A run's fair-share key from its trigger input and the job's `scheduling.fairShareKey`
 * (a dotted path, optionally "|domain"): the group when no rule is declared or the input
 * has no usable value at that path.
 */
export function deriveFairShareKey(rule: string | undefined, input: unknown, group: string): string {
  if (!rule) return group;
  const [path = "", transform] = rule.split("|");
  let value: unknown = input;
  for (const part of path.split(".")) {
    if (value === null || typeof value !== "object") return group;
    value = (value as Record<string, unknown>)[part];
  }
  if (typeof value === "number" || typeof value === "boolean") value = String(value);
  if (typeof value !== "string") return group;
  let key = value.trim();
  if (transform === "domain") {
    const at = key.lastIndexOf("@");
    key = at >= 0 ? key.slice(at + 1) : key;
    key = key.toLowerCase();
  }
  if (key === "" || key.length > FAIR_SHARE_KEY_MAX) return group;
  return key;
}

/**
 * A write as a person reads it: "set priority to "high"", "removed note", "created", "deleted".
 * Objects are compared field by field at the top level; anything else as a whole value.
 */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  const text = typeof value === "string" ? `"${value}"` : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

export function describeChange(before: unknown, after: unknown): string[] {
  if (before === null || before === undefined)
    return after === null || after === undefined ? ["no change"] : ["created it"];
  if (after === null || after === undefined) return ["deleted it"];
  if (!isRecord(before) || !isRecord(after))
    return JSON.stringify(before) === JSON.stringify(after) ? ["no change"] : [`set it to ${show(after)}`];
  const parts: string[] = [];
  for (const [key, value] of Object.entries(after)) {
    if (!(key in before)) parts.push(`added ${key} ${show(value)}`);
    else if (JSON.stringify(before[key]) !== JSON.stringify(value)) parts.push(`set ${key} ${show(value)}`);
  }
  for (const key of Object.keys(before)) if (!(key in after)) parts.push(`removed ${key}`);
  return parts.length > 0 ? parts : ["no change"];
}

export function shortRun(id: string): string {
  return `${id.replace(/-/g, "").slice(0, 4)}…`;
}

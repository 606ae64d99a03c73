/** One changed leaf between the model's arguments and the approver's edit. */
export interface InputChange {
  path: string;
  before: unknown;
  after: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The difference recorded for an edit-then-approve: changed, added (before undefined) and removed (after undefined) leaves. */
export function diffInput(before: unknown, after: unknown, path = ""): InputChange[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => diffInput(before[key], after[key], path ? `${path}.${key}` : key));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path: path || "(input)", before: before ?? null, after: after ?? null }];
}

/**
 * `db.execute()` answers with an array on postgres.js and with `{ rows }` on PGlite.
 * Raw-SQL callers go through this so the same query code runs on both.
 */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  if (result && typeof result === "object" && "rows" in result) {
    const rows = (result as { rows: unknown }).rows;
    if (Array.isArray(rows)) return rows as T[];
  }
  return [];
}

/** A boolean column from raw SQL: true from both drivers, or "t" where one hands booleans over as text. */
export function pgBool(value: unknown): boolean {
  return value === true || value === "t";
}

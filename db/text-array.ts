import { sql } from "drizzle-orm";

/**
 * A text[] parameter, as an array literal both drivers pass the same way (each element quoted and
 * escaped; an empty array matches nothing in `<> all(...)`, so it excludes nothing).
 */
export function sqlTextArray(values: readonly string[]) {
  return sql`${`{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(",")}}`}::text[]`;
}

import "server-only";

/** JSON-safe copy: what cannot be stored (functions, bigints, cycles) becomes text. */
export function toJsonSafe(value: unknown): unknown {
  if (value === undefined) return null;
  try {
    return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))) as unknown;
  } catch {
    return String(value);
  }
}

/**
 * Caps what a tool hands back (and what is stored). Anything over the limit becomes its
 * JSON text cut at the limit, with a marker the model and operators can see.
 */
export function capOutput(value: unknown, maxBytes: number): { value: unknown; truncated: boolean; bytes: number } {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const bytes = Buffer.byteLength(text);
  if (bytes <= maxBytes) return { value, truncated: false, bytes };
  const cut = Buffer.from(text)
    .subarray(0, maxBytes)
    .toString("utf8")
    .replace(/\uFFFD+$/, "");
  return { value: `${cut}\n…[output truncated: ${maxBytes} of ${bytes} bytes shown]`, truncated: true, bytes };
}

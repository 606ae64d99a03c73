import "server-only";

/**
 * Canonical JSON for hashing audit events: object keys sorted by UTF-16 code units, no
 * whitespace, numbers and strings as JSON.stringify writes them. jsonb reorders keys and
 * rewrites number spellings, so hashes are always computed over the canonical form of
 * values as JavaScript holds them (after a jsonb round trip, the same values come back).
 *
 * `toJsonValue` first turns arbitrary input into a value that survives jsonb unchanged;
 * `canonicalJson` then refuses anything that is not plain JSON, so a hash can never
 * silently cover something the database would store differently.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export class CanonicalJsonError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`${message} at ${path || "(root)"}`);
    this.name = "CanonicalJsonError";
  }
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function canonicalJson(value: unknown): string {
  // The fast writer gives up on anything unusual; the exact writer then produces the same
  // bytes or the error with its path (tests hold the two to the same output).
  return writeFast(value, 0) ?? write(value, "", new Set());
}

/**
 * Deeper than this, the fast writer hands over to the exact one, which detects cycles
 * (audit payloads are a few levels deep).
 */
const FAST_DEPTH = 32;

/**
 * Object keys repeat from event to event; quoting each once saves a fifth of the time
 * (values are mostly unique: caching them costs more than it saves).
 */
const quotedKeys = new Map<string, string>();
const KEY_CACHE = 4096;

function quoteKey(s: string): string {
  if (s.length > 64) return JSON.stringify(s);
  let q = quotedKeys.get(s);
  if (q === undefined) {
    q = JSON.stringify(s);
    if (quotedKeys.size >= KEY_CACHE) quotedKeys.clear();
    quotedKeys.set(s, q);
  }
  return q;
}

/** Sorts by UTF-16 code units like Array.prototype.sort; insertion sort is faster for an event's few keys. */
function sortKeys(keys: string[]): void {
  if (keys.length > 16) {
    keys.sort();
    return;
  }
  for (let i = 1; i < keys.length; i += 1) {
    const key = keys[i] as string;
    let j = i - 1;
    while (j >= 0 && (keys[j] as string) > key) {
      keys[j + 1] = keys[j] as string;
      j -= 1;
    }
    keys[j + 1] = key;
  }
}

/** canonicalJson for plain, finite, shallow JSON; undefined for anything else. */
function writeFast(value: unknown, depth: number): string | undefined {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "number":
      // For a finite number String() is what JSON.stringify writes (-0 as 0).
      return Number.isFinite(value) ? String(value) : undefined;
    case "object": {
      if (value === null) return "null";
      if (depth >= FAST_DEPTH) return undefined;
      if (Array.isArray(value)) {
        let out = "[";
        for (let i = 0; i < value.length; i += 1) {
          // A hole reads as undefined and goes to the exact writer.
          const item = writeFast(value[i], depth + 1);
          if (item === undefined) return undefined;
          out += i === 0 ? item : `,${item}`;
        }
        return `${out}]`;
      }
      if (!isPlainObject(value)) return undefined;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      sortKeys(keys);
      let out = "{";
      for (let i = 0; i < keys.length; i += 1) {
        const key = keys[i] as string;
        const item = writeFast(record[key], depth + 1);
        if (item === undefined) return undefined;
        out += `${i === 0 ? "" : ","}${quoteKey(key)}:${item}`;
      }
      return `${out}}`;
    }
    default:
      return undefined;
  }
}

function write(value: unknown, path: string, stack: Set<object>): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new CanonicalJsonError("non-finite number", path);
      return JSON.stringify(value); // -0 prints as 0, as jsonb stores it
    case "object": {
      if (value === null) return "null";
      if (stack.has(value)) throw new CanonicalJsonError("circular reference", path);
      stack.add(value);
      try {
        if (Array.isArray(value)) {
          return `[${value.map((v, i) => write(v, `${path}[${i}]`, stack)).join(",")}]`;
        }
        if (!isPlainObject(value)) throw new CanonicalJsonError("not a plain object", path);
        const record = value as Record<string, unknown>;
        const keys = Object.keys(record).sort();
        const parts = keys.map((k) => `${JSON.stringify(k)}:${write(record[k], `${path}.${k}`, stack)}`);
        return `{${parts.join(",")}}`;
      } finally {
        stack.delete(value);
      }
    }
    default:
      throw new CanonicalJsonError(`${typeof value} is not JSON`, path);
  }
}

// jsonb refuses NUL characters and unpaired surrogates, which JavaScript strings allow.
const unstorable = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The string as text and jsonb columns can hold it: NUL and lone surrogates become U+FFFD. */
export function storableString(s: string): string {
  return s.replace(unstorable, "\uFFFD");
}

/**
 * Normalises any value the way JSON.stringify would (toJSON honoured, undefined/function/
 * symbol members dropped, or null inside arrays, non-finite numbers to null) plus what
 * jsonb needs: bigint becomes its decimal string, NUL and lone surrogates become U+FFFD,
 * -0 becomes 0. Cycles throw CanonicalJsonError.
 */
export function toJsonValue(value: unknown): JsonValue {
  const result = normalise(value, "", new Set());
  return result === undefined ? null : result;
}

/** toJsonValue for the payload and authorization objects of an event. */
export function toJsonObject(value: unknown): JsonObject {
  const result = toJsonValue(value);
  if (result === null || typeof result !== "object" || Array.isArray(result)) {
    throw new CanonicalJsonError("expected an object", "");
  }
  return result;
}

function normalise(input: unknown, path: string, stack: Set<object>): JsonValue | undefined {
  let value = input;
  if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
    value = (value as { toJSON: (key: string) => unknown }).toJSON("");
  }
  switch (typeof value) {
    case "string":
      return storableString(value);
    case "boolean":
      return value;
    case "number":
      if (!Number.isFinite(value)) return null;
      return value === 0 ? 0 : value;
    case "bigint":
      return value.toString();
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
    case "object": {
      if (value === null) return null;
      if (stack.has(value)) throw new CanonicalJsonError("circular reference", path);
      stack.add(value);
      try {
        if (Array.isArray(value)) {
          return value.map((v, i) => normalise(v, `${path}[${i}]`, stack) ?? null);
        }
        const entries: [string, JsonValue][] = [];
        for (const [k, v] of Object.entries(value)) {
          const n = normalise(v, `${path}.${k}`, stack);
          if (n !== undefined) entries.push([storableString(k), n]);
        }
        // fromEntries defines own properties, so a "__proto__" key stays data.
        return Object.fromEntries(entries);
      } finally {
        stack.delete(value);
      }
    }
  }
}

import "server-only";
import { isSecretKey } from "./keys";
import { REDACTED, defaultPatterns, type RedactionPattern } from "./patterns";
import { secretValues } from "./secrets";

export { REDACTED, defaultPatterns, type RedactionPattern } from "./patterns";
export { isSecretKey } from "./keys";
export { secretValues } from "./secrets";

export interface RedactorOptions {
  /** Decides which object keys hold secrets; default isSecretKey. */
  isSecretKey?: (key: string) => boolean;
  /** Secret shapes replaced inside strings; default defaultPatterns. */
  patterns?: readonly RedactionPattern[];
  /** Literal secret strings replaced wherever they occur; default secretValues() from the environment. */
  secrets?: () => readonly string[];
}

export interface Redactor {
  /** Deep copy of `value` with secret-keyed values and secrets inside strings replaced. */
  redact<T>(value: T): T;
  redactString(text: string): string;
}

function globalised(patterns: readonly RedactionPattern[]): RedactionPattern[] {
  return patterns.map((p) =>
    p.pattern.global ? p : { ...p, pattern: new RegExp(p.pattern.source, `${p.pattern.flags}g`) },
  );
}

const matchers = new WeakMap<readonly string[], RegExp | null>();

function secretMatcher(secrets: readonly string[]): RegExp | null {
  const cached = matchers.get(secrets);
  if (cached !== undefined) return cached;
  const ordered = [...secrets].filter((s) => s !== "").sort((a, b) => b.length - a.length);
  const matcher =
    ordered.length === 0
      ? null
      : new RegExp(ordered.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "gi");
  matchers.set(secrets, matcher);
  return matcher;
}

export function createRedactor(options: RedactorOptions = {}): Redactor {
  const secretKey = options.isSecretKey ?? isSecretKey;
  const patterns = globalised(options.patterns ?? defaultPatterns);
  const secrets = options.secrets ?? secretValues;

  function redactString(text: string): string {
    let out = text;
    // Longest first, so a secret that contains another is not left half-replaced; matched
    // case-insensitively, so an upper-cased or lower-cased copy of a secret is hidden too.
    const matcher = secretMatcher(secrets());
    if (matcher) out = out.replace(matcher, REDACTED);
    for (const { pattern, replacement } of patterns) {
      pattern.lastIndex = 0;
      out = out.replace(pattern, replacement);
    }
    return out;
  }

  function walk(value: unknown, stack: Set<object>): unknown {
    if (typeof value === "string") return redactString(value);
    if (value === null || typeof value !== "object") return value;
    if (stack.has(value)) return "[Circular]";
    stack.add(value);
    try {
      if (Array.isArray(value)) return value.map((v) => walk(v, stack));
      if (value instanceof Date) return new Date(value.getTime());
      if (value instanceof Error) {
        // message and name are not enumerable; copy them so the shape survives JSON.
        return { name: value.name, message: redactString(value.message) };
      }
      if (value instanceof Map) return walk(Object.fromEntries(value), stack);
      if (value instanceof Set) return walk([...value], stack);
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === "function") return walk(toJSON.call(value, ""), stack);
      const entries = Object.entries(value).map(([k, v]): [string, unknown] => [
        k,
        secretKey(k) && v !== null && v !== undefined && typeof v !== "boolean" ? REDACTED : walk(v, stack),
      ]);
      return Object.fromEntries(entries);
    } finally {
      stack.delete(value);
    }
  }

  return {
    redact: <T>(value: T): T => walk(value, new Set()) as T,
    redactString,
  };
}

const defaultRedactor = createRedactor();

/** Deep copy with secrets replaced by "[REDACTED]": secret-looking keys, configured secret values, known token shapes. */
export function redact<T>(value: T): T {
  return defaultRedactor.redact(value);
}

/** Replaces configured secret values and known token shapes inside free text. */
export function redactString(text: string): string {
  return defaultRedactor.redactString(text);
}

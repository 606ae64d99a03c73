/**
 * The one "storable text" rule: a string may be stored and echoed only when it holds no
 * NUL (Postgres text cannot) and no lone UTF-16 surrogate (not encodable as UTF-8, so
 * the driver fails on it). Applied where input enters: JSON bodies, query strings, path
 * parameters, headers we keep, and server action inputs.
 */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isStorableText(value: string): boolean {
  return !value.includes("\u0000") && !loneSurrogate.test(value);
}

export interface UnstorableIssue {
  path: (string | number)[];
  message: string;
}

const message = "Text must not contain NUL characters or unpaired surrogates";

/** The first string (value or object key) in a JSON-like value that is not storable. */
export function findUnstorable(value: unknown, path: (string | number)[] = []): UnstorableIssue | null {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path }];
  while (stack.length > 0) {
    const item = stack.pop();
    if (!item) break;
    const v = item.value;
    if (typeof v === "string") {
      if (!isStorableText(v)) return { path: item.path, message };
    } else if (Array.isArray(v)) {
      v.forEach((child, i) => stack.push({ value: child, path: [...item.path, i] }));
    } else if (v !== null && typeof v === "object") {
      for (const [key, child] of Object.entries(v)) {
        if (!isStorableText(key)) return { path: [...item.path, key], message };
        stack.push({ value: child, path: [...item.path, key] });
      }
    }
  }
  return null;
}

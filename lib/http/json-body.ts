import "server-only";
import { AppError } from "@/lib/errors";
import { findUnstorable } from "@/lib/text/storable";

/** Deepest nesting of arrays and objects a request body may have. */
export const maxJsonDepth = 64;

/**
 * Nesting depth of a JSON text, counted without parsing (so a hostile body cannot
 * overflow the parser's stack): brackets outside string literals.
 */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/**
 * Decodes a request body as JSON: UTF-8 (invalid bytes are a 400, not replacement
 * characters), bounded depth, and only storable text in every string and key.
 * An empty body is `{}`.
 */
export function parseJsonBody(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("bad_request", "Request body is not valid UTF-8");
  }
  if (text.trim() === "") return {};
  if (jsonDepthExceeds(text, maxJsonDepth)) {
    throw new AppError("bad_request", `Request body nests deeper than ${maxJsonDepth} levels`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "Request body is not valid JSON");
  }
  assertStorable(value, "request body");
  return value;
}

/** 400 naming the field when any string in `value` is not storable text. */
export function assertStorable(value: unknown, what: string): void {
  const issue = findUnstorable(value);
  if (issue) {
    throw new AppError("bad_request", `Invalid ${what}`, {
      issues: [{ code: "invalid_string", path: issue.path, message: issue.message }],
    });
  }
}

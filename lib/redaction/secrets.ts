import "server-only";
import { envSchema, getEnv, type Env } from "@/lib/env";

/** Env var names whose values are secrets (and so must never appear in logs or events). */
const secretName = /(?:_KEY|_SECRET|_TOKEN|_PASSWORD)$/;
// Shorter values would blank out ordinary words wherever they happen to occur.
const MIN_SECRET_LENGTH = 8;

const cache = new WeakMap<Env, readonly string[]>();

/**
 * The configured secret values: every env var named *_KEY, *_SECRET, *_TOKEN or
 * *_PASSWORD, and the password inside DATABASE_URL (raw and percent-decoded).
 * Longest first, so a secret containing another is replaced whole.
 */
export function secretValues(): readonly string[] {
  const env = getEnv();
  const cached = cache.get(env);
  if (cached) return cached;
  const found = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (secretName.test(name) && typeof value === "string" && !isPublishedDefault(name, value)) found.add(value);
  }
  if (env.DATABASE_URL) {
    for (const p of urlPasswords(env.DATABASE_URL)) found.add(p);
  }
  const values = [...found].filter((v) => v.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  cache.set(env, values);
  return values;
}

/**
 * The demo users' default password is printed in the README and on start-up (the sign-in line of `npm start`): not a
 * secret, and redacting it would only blank the start-up lines that tell a new user how to sign in. A password
 * someone set is redacted like any other.
 */
function isPublishedDefault(name: string, value: string): boolean {
  return name === "FLIGHTDECK_DEMO_PASSWORD" && value === envSchema.shape.FLIGHTDECK_DEMO_PASSWORD.parse(undefined);
}

function urlPasswords(url: string): string[] {
  try {
    const raw = new URL(url).password;
    if (!raw) return [];
    let decoded = raw;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      // a malformed escape: the raw form is still worth hiding
    }
    return [raw, decoded];
  } catch {
    return [];
  }
}

import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import type { Db } from "@/db/client";
import { appendAudit } from "@/lib/audit";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { findActiveToken } from "@/lib/tokens/resolve";
import { clientIp } from "./client-ip";
import type { Principal } from "@/lib/audit";
import { checkRateLimit, loginRule, rateLimitKeys, recordFailure } from "./rate-limit";

function sameSecret(a: string, b: string): boolean {
  // Digests have equal length, so the comparison time says nothing about either value.
  const da = createHash("sha256").update(a, "utf8").digest();
  const db = createHash("sha256").update(b, "utf8").digest();
  return timingSafeEqual(da, db);
}

function tooMany(retryAfterSeconds: number): AppError {
  return new AppError("too_many_requests", "Too many invalid tokens. Try again later.", { retryAfterSeconds });
}

const anonymousActor = { kind: "anonymous", id: null, label: "anonymous" } as const;

/**
 * FLIGHTDECK_ADMIN_TOKEN, then the api_tokens table. A valid token is always accepted —
 * the lock is consulted only for secrets that do not check out, so nobody's failures
 * (least of all someone sharing or spoofing the address) can lock a real token out; 256
 * random bits leave nothing to gain from guessing faster. Invalid secrets count towards
 * the address's limit; the audit trail gets the first failure of a window and the
 * lockout, not one event per guess.
 */
export async function resolveBearer(db: Db, secret: string, headers: Headers): Promise<Principal> {
  const adminToken = getEnv().FLIGHTDECK_ADMIN_TOKEN;
  if (adminToken && sameSecret(secret, adminToken)) {
    return { kind: "token", id: "bootstrap", label: "bootstrap admin token", role: "admin", bootstrap: true };
  }
  const token = await findActiveToken(db, secret);
  if (token) return token.principal;

  const ip = clientIp(headers);
  const key = rateLimitKeys.bearerIp(ip);
  const rule = loginRule();
  const lock = await checkRateLimit(db, [key], rule);
  if (lock.limited) throw tooMany(lock.retryAfterSeconds);
  const failure = await db.transaction(async (tx) => {
    const result = await recordFailure(tx, key, rule);
    if (result.count === 1) {
      await appendAudit(tx, {
        actor: anonymousActor,
        action: "auth.token_failed",
        subject: { type: "bearer-token", id: null },
        authorization: { via: "none" },
        payload: {
          ip,
          note: "first invalid token from this address in the window; the lockout event carries the count",
        },
      });
    }
    if (result.lockedNow) {
      await appendAudit(tx, {
        actor: anonymousActor,
        action: "auth.rate_limited",
        subject: { type: "bearer-token", id: null },
        authorization: { via: "none" },
        payload: { scope: "ip", ip, failures: result.count, retryAfterSeconds: result.retryAfterSeconds },
      });
    }
    return result;
  });
  if (failure.count > rule.max) throw tooMany(failure.retryAfterSeconds);
  throw new AppError("unauthorized", "Invalid token");
}

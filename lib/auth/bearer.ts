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

/** FLIGHTDECK_ADMIN_TOKEN, then the api_tokens table; anything else counts towards the IP's limit. */
export async function resolveBearer(db: Db, secret: string, headers: Headers): Promise<Principal> {
  const ip = clientIp(headers);
  const key = rateLimitKeys.bearerIp(ip);
  const rule = loginRule();
  const lock = await checkRateLimit(db, [key], rule);
  if (lock.limited) throw tooMany(lock.retryAfterSeconds);

  const adminToken = getEnv().FLIGHTDECK_ADMIN_TOKEN;
  if (adminToken && sameSecret(secret, adminToken)) {
    return { kind: "token", id: "bootstrap", label: "bootstrap admin token", role: "admin", bootstrap: true };
  }
  const token = await findActiveToken(db, secret);
  if (token) return { kind: "token", id: token.id, label: `token:${token.name}`, role: token.role };

  const failure = await db.transaction(async (tx) => {
    const result = await recordFailure(tx, key, rule);
    if (result.lockedNow) {
      await appendAudit(tx, {
        actor: { kind: "anonymous", id: null, label: "anonymous" },
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

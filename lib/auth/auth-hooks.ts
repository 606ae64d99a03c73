import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { APIError, createAuthMiddleware, isAPIError } from "better-auth/api";
import type { Db } from "@/db/client";
import { session as sessionTable, user as userTable } from "@/db/schema";
import { appendAudit } from "@/lib/audit";
import { clientIp, userAgent } from "./client-ip";
import {
  accountRule,
  checkRateLimit,
  clearRateLimit,
  loginRule,
  pruneRateLimits,
  rateLimitKeys,
  recordFailure,
} from "./rate-limit";

const signInBody = z.object({ email: z.string() });
const noAuthority = { via: "none" };

function requestHeaders(headers: Headers | undefined): Headers {
  return headers ?? new Headers();
}

/**
 * Better Auth hooks: the database-backed sign-in rate limit (before), and the audit trail
 * of sign-ins, failed sign-ins, lockouts and sign-outs (after), so every sign-in through
 * the HTTP handler or auth.api is recorded the same way.
 */
export function authHooks(db: Db) {
  const before = createAuthMiddleware(async (ctx) => {
    if (ctx.path === "/change-password") {
      // Rate-limited like sign-in (a wrong current password is a guess), and a change
      // always ends the user's other sessions: Better Auth then issues this browser a new one.
      const headers = requestHeaders(ctx.headers);
      const owner = await sessionOwner(
        db,
        await ctx.getSignedCookie(ctx.context.authCookies.sessionToken.name, ctx.context.secret),
      );
      const lock = await checkRateLimit(db, passwordChangeKeys(clientIp(headers), owner?.userId ?? null), loginRule());
      if (lock.limited) {
        throw new APIError(
          "TOO_MANY_REQUESTS",
          { code: "TOO_MANY_ATTEMPTS", message: "Too many failed password changes. Try again later." },
          { "Retry-After": String(lock.retryAfterSeconds) },
        );
      }
      const body: Record<string, unknown> =
        typeof ctx.body === "object" && ctx.body !== null ? { ...(ctx.body as Record<string, unknown>) } : {};
      return { context: { body: { ...body, revokeOtherSessions: true } } };
    }
    if (ctx.path === "/sign-in/email") {
      const parsed = signInBody.safeParse(ctx.body);
      if (!parsed.success) return;
      const ip = clientIp(requestHeaders(ctx.headers));
      const lock = await checkRateLimit(
        db,
        [rateLimitKeys.signInIpEmail(ip, parsed.data.email), rateLimitKeys.signInIp(ip)],
        loginRule(),
      );
      // Per account too, from any address: guesses spread over many addresses stop as well.
      const accountLock = await checkRateLimit(db, [rateLimitKeys.signInAccount(parsed.data.email)], accountRule());
      if (lock.limited || accountLock.limited) {
        throw new APIError(
          "TOO_MANY_REQUESTS",
          { code: "TOO_MANY_ATTEMPTS", message: "Too many failed sign-in attempts. Try again later." },
          { "Retry-After": String(Math.max(lock.retryAfterSeconds, accountLock.retryAfterSeconds)) },
        );
      }
      return;
    }
    if (ctx.path === "/sign-out") {
      // After the handler the session row is gone, so who signed out is read first.
      const token = await ctx.getSignedCookie(ctx.context.authCookies.sessionToken.name, ctx.context.secret);
      if (!token) return;
      const [row] = await db
        .select({ sessionId: sessionTable.id, userId: userTable.id, email: userTable.email, role: userTable.role })
        .from(sessionTable)
        .innerJoin(userTable, eq(userTable.id, sessionTable.userId))
        .where(eq(sessionTable.token, token));
      if (!row) return;
      const headers = requestHeaders(ctx.headers);
      await db.transaction(async (tx) => {
        await appendAudit(tx, {
          actor: { kind: "user", id: row.userId, label: row.email },
          action: "auth.sign_out",
          subject: { type: "session", id: row.sessionId },
          authorization: { via: "session", role: row.role },
          payload: { ip: clientIp(headers), userAgent: userAgent(headers) },
        });
      });
    }
  });

  const after = createAuthMiddleware(async (ctx) => {
    if (ctx.path === "/change-password") {
      const headers = requestHeaders(ctx.headers);
      const returned = ctx.context.returned;
      if (isAPIError(returned) && (returned.statusCode === 400 || returned.statusCode === 401)) {
        const owner = ctx.context.session
          ? { userId: ctx.context.session.user.id, email: ctx.context.session.user.email }
          : null;
        return recordPasswordChangeFailure(db, clientIp(headers), owner, headers);
      }
      return auditPasswordChange(db, returned, headers);
    }
    if (ctx.path !== "/sign-in/email") return;
    const headers = requestHeaders(ctx.headers);
    const ip = clientIp(headers);
    const created = ctx.context.newSession;
    if (created) {
      try {
        await db.transaction(async (tx) => {
          const failuresBefore = await clearRateLimit(tx, rateLimitKeys.signInIpEmail(ip, created.user.email));
          await appendAudit(tx, {
            actor: { kind: "user", id: created.user.id, label: created.user.email },
            action: "auth.sign_in",
            subject: { type: "user", id: created.user.id },
            authorization: { via: "password", role: roleOf(created.user) },
            payload: { sessionId: created.session.id, ip, userAgent: userAgent(headers), failuresBefore },
          });
        });
      } catch (error) {
        // A session nobody can account for is worse than a failed sign-in.
        await ctx.context.internalAdapter.deleteSession(created.session.token);
        ctx.context.logger.error("sign-in audit failed; session revoked", error);
        throw new APIError("INTERNAL_SERVER_ERROR", { message: "Sign-in failed" });
      }
      return;
    }
    const returned = ctx.context.returned;
    if (!isAPIError(returned) || returned.statusCode !== 401) return;
    const parsed = signInBody.safeParse(ctx.body);
    const email = parsed.success ? parsed.data.email.trim().toLowerCase() : "";
    const rule = loginRule();
    await db.transaction(async (tx) => {
      const perPerson = await recordFailure(tx, rateLimitKeys.signInIpEmail(ip, email), rule);
      const perIp = await recordFailure(tx, rateLimitKeys.signInIp(ip), rule);
      const perAccount = await recordFailure(tx, rateLimitKeys.signInAccount(email), accountRule());
      // Aggregated: the first failure of a window for this address and email is recorded;
      // the rest are counted, and the lockout event (or the next sign-in) carries the count.
      if (perPerson.count === 1) {
        await appendAudit(tx, {
          actor: { kind: "anonymous", id: null, label: "anonymous" },
          action: "auth.sign_in_failed",
          subject: { type: "user", id: null },
          authorization: noAuthority,
          payload: { email, ip, userAgent: userAgent(headers), attempt: perPerson.count },
        });
      }
      for (const [scope, result] of [
        ["ip+email", perPerson],
        ["ip", perIp],
        ["account", perAccount],
      ] as const) {
        if (!result.lockedNow) continue;
        await appendAudit(tx, {
          actor: { kind: "anonymous", id: null, label: "anonymous" },
          action: "auth.rate_limited",
          subject: { type: "sign-in", id: null },
          authorization: noAuthority,
          payload: {
            scope,
            email: scope === "ip" ? null : email,
            ip: scope === "account" ? null : ip,
            failures: result.count,
            retryAfterSeconds: result.retryAfterSeconds,
          },
        });
      }
    });
    // Cheap housekeeping on the failure path only; successful traffic never pays for it.
    if (Math.random() < 0.02) await pruneRateLimits(db, Math.max(86_400, rule.windowSeconds * 2));
  });

  return { before, after };
}

function passwordChangeKeys(ip: string, userId: string | null): string[] {
  return [`change-password:ip:${ip}`, ...(userId ? [`change-password:user:${userId}`] : [])];
}

async function sessionOwner(db: Db, token: string | null | false): Promise<{ userId: string; email: string } | null> {
  if (!token) return null;
  const [row] = await db
    .select({ userId: userTable.id, email: userTable.email })
    .from(sessionTable)
    .innerJoin(userTable, eq(userTable.id, sessionTable.userId))
    .where(eq(sessionTable.token, token));
  return row ?? null;
}

/** A wrong current password counts per address and per user; the first of a window and the lockout are audited. */
async function recordPasswordChangeFailure(
  db: Db,
  ip: string,
  owner: { userId: string; email: string } | null,
  headers: Headers,
): Promise<void> {
  const rule = loginRule();
  await db.transaction(async (tx) => {
    let first = false;
    let locked: number | null = null;
    for (const key of passwordChangeKeys(ip, owner?.userId ?? null)) {
      const result = await recordFailure(tx, key, rule);
      if (result.count === 1) first = true;
      if (result.lockedNow) locked = result.count;
    }
    const actor = owner
      ? { kind: "user" as const, id: owner.userId, label: owner.email }
      : { kind: "anonymous" as const, id: null, label: "anonymous" };
    if (first) {
      await appendAudit(tx, {
        actor,
        action: "auth.password_change_failed",
        subject: { type: "user", id: owner?.userId ?? null },
        authorization: noAuthority,
        payload: { ip, userAgent: userAgent(headers) },
      });
    }
    if (locked !== null) {
      await appendAudit(tx, {
        actor,
        action: "auth.rate_limited",
        subject: { type: "change-password", id: owner?.userId ?? null },
        authorization: noAuthority,
        payload: { scope: "change-password", ip, failures: locked, retryAfterSeconds: rule.windowSeconds },
      });
    }
  });
}

const changedPassword = z.object({ user: z.object({ id: z.string(), email: z.string() }).loose() }).loose();

/** Users may change their own password (current one required); the change is audited, never the values. */
async function auditPasswordChange(db: Db, returned: unknown, headers: Headers): Promise<void> {
  if (isAPIError(returned)) return;
  const parsed = changedPassword.safeParse(returned);
  if (!parsed.success) return;
  const { user } = parsed.data;
  await db.transaction(async (tx) => {
    await appendAudit(tx, {
      actor: { kind: "user", id: user.id, label: user.email },
      action: "auth.password_changed",
      subject: { type: "user", id: user.id },
      authorization: { via: "session", role: roleOf(user) },
      payload: { ip: clientIp(headers), userAgent: userAgent(headers), otherSessionsEnded: true },
    });
  });
}

function roleOf(user: Record<string, unknown>): string {
  return typeof user.role === "string" ? user.role : "unknown";
}

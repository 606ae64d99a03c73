import "server-only";
import { randomUUID } from "node:crypto";
import type { Db } from "@/db/client";
import { apiTokens, type Role } from "@/db/schema";
import { appendAudit } from "@/lib/audit";
import { auditActor, auditAuthorization } from "@/lib/audit";
import type { Principal } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import type { CreateTokenInput } from "./schemas";
import { displayPrefix, generateTokenSecret, hashToken } from "./secret";
import { toTokenSummary, type TokenSummary } from "./list";

export interface CreatedToken extends TokenSummary {
  /** The secret itself: returned once, never stored, never audited. */
  token: string;
}

/**
 * The person a new token belongs to: the signed-in user, or the owner of the person's
 * token that is creating it. Null for the bootstrap token, service tokens and the CLI:
 * those make service tokens.
 */
function ownerOf(actor: Principal): string | null {
  if (actor.kind === "user") return actor.id;
  if (actor.kind === "token" && actor.owner) return actor.owner.id;
  return null;
}

/**
 * What a scoped token stores in the (not null) role column: the least of the roles. The
 * scope, not the role, decides what the token may do (lib/auth/dal.ts); the role only
 * keeps the row's shape and errs low should anything ever read it.
 */
export const scopedTokenRole: Role = "reviewer";

export async function createApiToken(db: Db, actor: Principal, input: CreateTokenInput): Promise<CreatedToken> {
  const secret = generateTokenSecret();
  const id = randomUUID();
  const createdByLabel = actor.kind === "anonymous" ? "anonymous" : actor.label;
  const ownerUserId = ownerOf(actor);
  const role = input.scope !== undefined ? scopedTokenRole : input.role;
  if (role === undefined) throw new AppError("bad_request", "A role or a scope is required");
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({
        id,
        name: input.name,
        role,
        scope: input.scope ?? null,
        tokenHash: hashToken(secret),
        prefix: displayPrefix(secret),
        createdByUserId: actor.kind === "user" ? actor.id : null,
        kind: ownerUserId ? "user" : "service",
        ownerUserId,
        createdByLabel,
      })
      .returning();
    if (!row) throw new Error("token insert returned no row");
    await appendAudit(tx, {
      actor: auditActor(actor),
      action: "token.created",
      subject: { type: "api_token", id },
      authorization: auditAuthorization(actor, "tokens.manage"),
      payload: {
        name: row.name,
        role: row.role,
        scope: row.scope,
        prefix: row.prefix,
        kind: row.kind,
        owner: row.ownerUserId,
      },
    });
    return { ...toTokenSummary(row), token: secret };
  });
}

import "server-only";
import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { apiTokens, type runs } from "@/db/schema";
import type { Principal } from "@/lib/audit";
import { AppError } from "@/lib/errors";

/** The person behind a principal: a signed-in user, or the owner of a person's token. */
export function personOf(principal: Principal): string | null {
  if (principal.kind === "user") return principal.id;
  if (principal.kind === "token" && principal.owner) return principal.owner.id;
  return null;
}

/**
 * Human oversight means a human other than the one who asked: an approval is decided by a
 * person (a session, or a token bound to a person) and never by the principal — or the
 * person — that started the run. Service tokens and the bootstrap token can read the queue
 * but not decide. Throws 403 naming why.
 */
export async function assertMayDecide(tx: Tx, run: typeof runs.$inferSelect, principal: Principal): Promise<void> {
  const person = personOf(principal);
  if (person === null) {
    throw new AppError(
      "forbidden",
      "Approvals must be decided by a person: a service token (or the bootstrap token) may read the approval queue but not decide",
      { reason: "not_a_person" },
    );
  }
  let starter: string | null = null;
  if (run.actorKind === "user") starter = run.actorId;
  else if (run.actorKind === "token" && run.actorId !== null) {
    if (principal.kind === "token" && principal.id === run.actorId) starter = person;
    else {
      const [token] = await tx
        .select({ owner: apiTokens.ownerUserId })
        .from(apiTokens)
        .where(eq(apiTokens.id, run.actorId));
      starter = token?.owner ?? null;
    }
  }
  if (starter !== null && starter === person) {
    throw new AppError("forbidden", "Approvals must be decided by someone other than the person who started the run", {
      reason: "own_run",
    });
  }
}

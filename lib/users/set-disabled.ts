import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { session, user } from "@/db/schema";
import { appendAudit } from "@/lib/audit";
import { auditActor, auditAuthorization } from "@/lib/audit";
import type { Principal } from "@/lib/audit";
import { assertNotLastAdmin, lockUserForChange } from "./admin-guard";

/** Disabling also ends every session of the user, in the same transaction. */
export async function setUserDisabled(
  db: Db,
  actor: Principal,
  userId: string,
  disabled: boolean,
): Promise<{ id: string; disabled: boolean; changed: boolean }> {
  return db.transaction((tx) => setUserDisabledIn(tx, actor, userId, disabled));
}

/** The same inside the caller's transaction. */
export async function setUserDisabledIn(
  tx: Tx,
  actor: Principal,
  userId: string,
  disabled: boolean,
): Promise<{ id: string; disabled: boolean; changed: boolean }> {
  {
    const target = await lockUserForChange(tx, userId);
    if (target.disabled === disabled) return { id: target.id, disabled, changed: false };
    if (disabled) {
      await assertNotLastAdmin(tx, target);
      await tx.delete(session).where(eq(session.userId, userId));
    }
    await tx
      .update(user)
      .set({ disabled, updatedAt: sql`now()` })
      .where(eq(user.id, userId));
    await appendAudit(tx, {
      actor: auditActor(actor),
      action: disabled ? "user.disabled" : "user.enabled",
      subject: { type: "user", id: target.id },
      authorization: auditAuthorization(actor, "users.manage"),
      payload: { email: target.email, role: target.role },
    });
    return { id: target.id, disabled, changed: true };
  }
}

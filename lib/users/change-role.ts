import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { user, type Role } from "@/db/schema";
import { appendAudit } from "@/lib/audit";
import { auditActor, auditAuthorization } from "@/lib/audit";
import type { Principal } from "@/lib/audit";
import { assertNotLastAdmin, lockUserForChange } from "./admin-guard";

/** Takes effect on the user's next request: roles are read from the row, not the session. */
export async function changeUserRole(
  db: Db,
  actor: Principal,
  userId: string,
  role: Role,
): Promise<{ id: string; role: Role; changed: boolean }> {
  return db.transaction((tx) => changeUserRoleIn(tx, actor, userId, role));
}

/** The same inside the caller's transaction (PATCH /api/users/:id changes role and disabled together). */
export async function changeUserRoleIn(
  tx: Tx,
  actor: Principal,
  userId: string,
  role: Role,
): Promise<{ id: string; role: Role; changed: boolean }> {
  {
    const target = await lockUserForChange(tx, userId);
    if (target.role === role) return { id: target.id, role, changed: false };
    await assertNotLastAdmin(tx, target);
    await tx
      .update(user)
      .set({ role, updatedAt: sql`now()` })
      .where(eq(user.id, userId));
    await appendAudit(tx, {
      actor: auditActor(actor),
      action: "user.role_changed",
      subject: { type: "user", id: target.id },
      authorization: auditAuthorization(actor, "users.manage"),
      payload: { email: target.email, from: target.role, to: role },
    });
    return { id: target.id, role, changed: true };
  }
}

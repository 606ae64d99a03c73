import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { user } from "@/db/schema";
import { appendAudit } from "@/lib/audit";
import { auditActor, auditAuthorization } from "@/lib/audit";
import type { Principal } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { assertNotLastAdmin, lockUserForChange } from "./admin-guard";

/**
 * Only demo users can be deleted (their sessions and password go with them). Real users
 * are disabled instead, so their name stays attached to what they did.
 */
export async function deleteDemoUser(db: Db, actor: Principal, userId: string): Promise<{ id: string }> {
  return db.transaction(async (tx) => {
    const target = await lockUserForChange(tx, userId);
    if (!target.isDemo) throw new AppError("conflict", "Only demo users can be deleted; disable this user instead");
    await assertNotLastAdmin(tx, target);
    await tx.delete(user).where(eq(user.id, userId));
    await appendAudit(tx, {
      actor: auditActor(actor),
      action: "user.deleted",
      subject: { type: "user", id: target.id },
      authorization: auditAuthorization(actor, "users.manage"),
      payload: { email: target.email, role: target.role, demo: true },
    });
    return { id: target.id };
  });
}

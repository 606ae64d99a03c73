import "server-only";
import { and, eq, ne, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { user } from "@/db/schema";
import { AppError } from "@/lib/errors";

// Any change that can shrink the set of enabled admins takes this lock first, so two
// admins demoting each other at once cannot both see "there is another admin left".
const adminSetLock = 727_001;

export interface LockedUser {
  id: string;
  email: string;
  name: string;
  role: (typeof user.$inferSelect)["role"];
  disabled: boolean;
  isDemo: boolean;
}

/** Serialises admin-set changes and locks the target row; 404 when it does not exist. */
export async function lockUserForChange(tx: Tx, userId: string): Promise<LockedUser> {
  await tx.execute(sql`select pg_advisory_xact_lock(${adminSetLock})`);
  const [row] = await tx
    .select({
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      disabled: user.disabled,
      isDemo: user.isDemo,
    })
    .from(user)
    .where(eq(user.id, userId))
    .for("update");
  if (!row) throw new AppError("not_found", "No such user");
  return row;
}

/** Refuses (409) a change that would leave no enabled admin to manage users and tokens. */
export async function assertNotLastAdmin(tx: Tx, target: LockedUser): Promise<void> {
  if (target.role !== "admin" || target.disabled) return;
  const [other] = await tx
    .select({ id: user.id })
    .from(user)
    .where(and(eq(user.role, "admin"), eq(user.disabled, false), ne(user.id, target.id)))
    .limit(1);
  if (!other) throw new AppError("conflict", "This is the last enabled admin; make another admin first");
}

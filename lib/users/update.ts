import "server-only";
import { z } from "zod";
import type { Db } from "@/db/client";
import { roles, type Role } from "@/db/schema";
import type { Principal } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { changeUserRoleIn } from "./change-role";
import { setUserDisabledIn } from "./set-disabled";
import { listUsers, type UserSummary } from "./list";

/** PATCH /api/users/:id — either field or both; each change is audited like the cockpit's. */
export const updateUserInput = z
  .strictObject({ role: z.enum(roles).optional(), disabled: z.boolean().optional() })
  .refine((v) => v.role !== undefined || v.disabled !== undefined, { message: "Send role, disabled or both" });
export type UpdateUserInput = z.infer<typeof updateUserInput>;

export async function updateUser(
  db: Db,
  actor: Principal,
  userId: string,
  input: UpdateUserInput,
): Promise<UserSummary> {
  await db.transaction(async (tx) => {
    const role: Role | undefined = input.role;
    if (role !== undefined) await changeUserRoleIn(tx, actor, userId, role);
    if (input.disabled !== undefined) await setUserDisabledIn(tx, actor, userId, input.disabled);
  });
  const found = (await listUsers(db)).find((u) => u.id === userId);
  if (!found) throw new AppError("not_found", "No such user");
  return found;
}

import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { user } from "@/db/schema";
import { appendAudit } from "@/lib/audit";
import { auditActor, auditAuthorization } from "@/lib/audit";
import type { Principal } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { insertUserWithPassword } from "./insert";
import type { CreateUserInput } from "./schemas";
import { toSummary, type UserSummary } from "./list";

export async function createUser(db: Db, actor: Principal, input: CreateUserInput): Promise<UserSummary> {
  return db.transaction(async (tx) => {
    const email = input.email.trim().toLowerCase();
    const [taken] = await tx.select({ id: user.id }).from(user).where(eq(user.email, email));
    if (taken) throw new AppError("conflict", "A user with this email already exists");
    const created = await insertUserWithPassword(tx, { ...input, email }).catch((error: unknown) => {
      // Two admins creating the same email at once: the unique index decides.
      if (isUniqueViolation(error)) throw new AppError("conflict", "A user with this email already exists");
      throw error;
    });
    await appendAudit(tx, {
      actor: auditActor(actor),
      action: "user.created",
      subject: { type: "user", id: created.id },
      authorization: auditAuthorization(actor, "users.manage"),
      payload: { email: created.email, name: created.name, role: created.role },
    });
    return toSummary({ ...created, disabled: false });
  });
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}

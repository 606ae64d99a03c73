import "server-only";
import { randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import type { Tx } from "@/db/client";
import { account, user, type Role } from "@/db/schema";

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  password: string;
  isDemo?: boolean;
}

export interface InsertedUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  isDemo: boolean;
  createdAt: Date;
}

/**
 * Writes a user and its password account the way Better Auth reads them at sign-in:
 * lower-case email, a "credential" account whose accountId is the user id, and the
 * password hashed with Better Auth's own scrypt hasher.
 */
export async function insertUserWithPassword(tx: Tx, input: NewUser, passwordHash?: string): Promise<InsertedUser> {
  const id = randomUUID();
  const hash = passwordHash ?? (await hashPassword(input.password));
  const [row] = await tx
    .insert(user)
    .values({
      id,
      email: input.email.trim().toLowerCase(),
      name: input.name,
      role: input.role,
      isDemo: input.isDemo ?? false,
      emailVerified: true,
    })
    .returning();
  if (!row) throw new Error("user insert returned no row");
  await tx
    .insert(account)
    .values({ id: randomUUID(), accountId: id, providerId: "credential", userId: id, password: hash });
  return { id: row.id, email: row.email, name: row.name, role: row.role, isDemo: row.isDemo, createdAt: row.createdAt };
}

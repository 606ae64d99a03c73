import "server-only";
import { asc } from "drizzle-orm";
import { getDb, type Queryable } from "@/db/client";
import { user, type Role } from "@/db/schema";

export interface UserSummary {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  isDemo: boolean;
  createdAt: string;
}

export function toSummary(row: Omit<UserSummary, "createdAt"> & { createdAt: Date }): UserSummary {
  return { ...row, createdAt: row.createdAt.toISOString() };
}

export async function listUsers(db?: Queryable): Promise<UserSummary[]> {
  const rows = await (db ?? (await getDb()))
    .select({
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      disabled: user.disabled,
      isDemo: user.isDemo,
      createdAt: user.createdAt,
    })
    .from(user)
    .orderBy(asc(user.email));
  return rows.map(toSummary);
}

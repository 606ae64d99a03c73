import "server-only";
import { getDb } from "@/db/client";
import type { Role } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { isDefaultDemoPassword, listDemoUsers } from "./seed-demo";

export interface DemoBannerInfo {
  users: { email: string; role: Role }[];
  /** The password itself only when it is the documented default; otherwise null. */
  defaultPassword: string | null;
}

/** What the demo-users banner shows, or null once no demo user is left. */
export async function demoBannerInfo(): Promise<DemoBannerInfo | null> {
  const users = await listDemoUsers(await getDb());
  if (users.length === 0) return null;
  return {
    users: users.map(({ email, role }) => ({ email, role })),
    defaultPassword: isDefaultDemoPassword() ? getEnv().FLIGHTDECK_DEMO_PASSWORD : null,
  };
}

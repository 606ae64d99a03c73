import "server-only";
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { appSettings } from "@/db/schema";
import { getEnv } from "@/lib/env";

const secretKey = "auth.secret";

/**
 * The key that signs session cookies. FLIGHTDECK_AUTH_SECRET wins; otherwise one random
 * secret is generated on first start and kept in app_settings, so every instance on the
 * same database signs and verifies with the same key and sessions survive restarts.
 */
export async function getAuthSecret(db: Db): Promise<string> {
  const configured = getEnv().FLIGHTDECK_AUTH_SECRET;
  if (configured) return configured;
  // Racing instances both insert; "do nothing" keeps the first, and both read it back.
  await db
    .insert(appSettings)
    .values({ key: secretKey, value: randomBytes(32).toString("base64url") })
    .onConflictDoNothing({ target: appSettings.key });
  const [row] = await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, secretKey));
  if (!row) throw new Error("auth secret missing from app_settings after insert");
  return row.value;
}

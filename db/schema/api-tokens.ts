import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { roles, user } from "./auth";

export const tokenKinds = ["user", "service"] as const;
export type TokenKind = (typeof tokenKinds)[number];
/**
 * A scope narrows a token to a fixed set of permissions whatever its role (lib/auth/policy.ts
 * tokenScopes): a "metrics" token may scrape GET /api/metrics and nothing else.
 */
export const tokenScopes = ["metrics"] as const;
export type TokenScope = (typeof tokenScopes)[number];

/**
 * Bearer tokens for automation. Only the SHA-256 of the secret is stored. A "user" token
 * belongs to the person who created it (owner_user_id): it acts as them, never above
 * their current role, and dies with them (disabled: refused; deleted: cascades). A
 * "service" token (made with the bootstrap token or the CLI) has only its role and name.
 */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    role: text("role", { enum: roles }).notNull(),
    kind: text("kind", { enum: tokenKinds }).notNull().default("service"),
    /** Null: the token may do what its role allows. Set: only what the scope allows. */
    scope: text("scope", { enum: tokenScopes }),
    ownerUserId: text("owner_user_id").references(() => user.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    /** First characters of the token, shown so people can tell tokens apart. */
    prefix: text("prefix").notNull(),
    createdByUserId: text("created_by_user_id").references(() => user.id, { onDelete: "set null" }),
    createdByLabel: text("created_by_label").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("api_tokens_created_idx").on(t.createdAt)],
);

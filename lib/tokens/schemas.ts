import "server-only";
import { z } from "zod";
import { roles } from "@/db/schema/auth";
import { tokenScopes } from "@/db/schema/api-tokens";
import type { TokenSummary } from "./list";

/**
 * A token has a role (it may do what the role allows) or a scope (it may do only what the
 * scope allows, lib/auth/policy.ts tokenScopes) — never both, so nobody reads a scoped
 * token's role as what it may do, and a misspelt scope is refused instead of ignored.
 */
export const createTokenInput = z
  .object({
    name: z.string().trim().min(1, "Name is required").max(80, "At most 80 characters"),
    role: z.enum(roles).optional(),
    scope: z.enum(tokenScopes).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.role === undefined && value.scope === undefined)
      ctx.addIssue({ code: "custom", path: ["role"], message: "A role or a scope is required" });
    if (value.role !== undefined && value.scope !== undefined)
      ctx.addIssue({ code: "custom", path: ["scope"], message: "A scoped token takes no role" });
  });
export type CreateTokenInput = z.infer<typeof createTokenInput>;

export const tokenIdInput = z.object({ id: z.string().min(1).max(100) });

/** A token as the API answers it (TokenSummary, never the secret or its hash). */
export const tokenSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(roles),
  scope: z.enum(tokenScopes).nullable(),
  kind: z.enum(["user", "service"]),
  ownerUserId: z.string().nullable(),
  prefix: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
}) satisfies z.ZodType<TokenSummary>;

import "server-only";
import { z } from "zod";
import { roles } from "@/db/schema/auth";
import type { UserSummary } from "./list";

export const minPasswordLength = 12;

const emailInput = z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address").max(254));

export const createUserInput = z.object({
  email: emailInput,
  name: z.string().trim().min(1, "Name is required").max(120, "At most 120 characters"),
  role: z.enum(roles),
  password: z
    .string()
    .min(minPasswordLength, `At least ${minPasswordLength} characters`)
    .max(128, "At most 128 characters"),
});
export type CreateUserInput = z.infer<typeof createUserInput>;

export const changeRoleInput = z.object({ userId: z.string().min(1).max(100), role: z.enum(roles) });
export const setDisabledInput = z.object({ userId: z.string().min(1).max(100), disabled: z.boolean() });
export const userIdInput = z.object({ userId: z.string().min(1).max(100) });

/** A user as the API answers it (UserSummary); `satisfies` keeps the schema and the type in step. */
export const userSummarySchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(roles),
  disabled: z.boolean(),
  isDemo: z.boolean(),
  createdAt: z.string(),
}) satisfies z.ZodType<UserSummary>;

import "server-only";
import { z } from "zod";
import { roles } from "@/db/schema/auth";

export const createTokenInput = z.object({
  name: z.string().trim().min(1, "Name is required").max(80, "At most 80 characters"),
  role: z.enum(roles),
});
export type CreateTokenInput = z.infer<typeof createTokenInput>;

export const tokenIdInput = z.object({ id: z.string().min(1).max(100) });

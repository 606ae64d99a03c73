"use server";

import { getDb } from "@/db/client";
import { defineAction } from "./define-action";
import { createApiToken, createTokenInput, revokeApiToken, tokenIdInput } from "@/lib/tokens";

/** Returns the secret once, for the "copy it now" dialog; it is never stored. */
export const createTokenAction = defineAction({
  name: "tokens.create",
  permission: "tokens.manage",
  input: createTokenInput,
  handler: async (input, principal) => createApiToken(await getDb(), principal, input),
});

export const revokeTokenAction = defineAction({
  name: "tokens.revoke",
  permission: "tokens.manage",
  input: tokenIdInput,
  handler: async ({ id }, principal) => revokeApiToken(await getDb(), principal, id),
});

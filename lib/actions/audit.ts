"use server";

import { getDb } from "@/db/client";
import { defineAction } from "./define-action";
import { deleteSavedQuery, saveQuery, saveQueryInput, savedQueryIdInput } from "@/lib/audit";

/** A person's saved audit explorer queries. */
export const saveAuditQueryAction = defineAction({
  name: "audit.saveQuery",
  permission: "audit.read",
  input: saveQueryInput,
  handler: async (input, principal) => saveQuery(await getDb(), principal, input),
});

export const deleteAuditQueryAction = defineAction({
  name: "audit.deleteQuery",
  permission: "audit.read",
  input: savedQueryIdInput,
  handler: async ({ id }, principal) => deleteSavedQuery(await getDb(), principal, id),
});

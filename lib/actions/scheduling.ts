"use server";

import { z } from "zod";
import { getDb } from "@/db/client";
import { defineAction } from "./define-action";
import { fairShareKeyParam, keyWeightInput, setKeyWeight } from "@/lib/scheduling";

/** The Resources page's weight editor (admin; audited as scheduling.weight_set). */
export const setFairShareWeight = defineAction({
  name: "scheduling.setWeight",
  permission: "scheduling.manage",
  input: z.strictObject({ ...fairShareKeyParam.shape, ...keyWeightInput.shape }),
  handler: async ({ key, weight }, principal) => setKeyWeight(await getDb(), principal, key, weight),
});

"use server";

import { z } from "zod";
import { getDb } from "@/db/client";
import { startProofRun } from "@/lib/proof-runs";
import { defineAction } from "./define-action";

/** "Run the proof" on /proof: admins only; answers the run's id, the page follows its progress. */
export const startProof = defineAction({
  name: "proof.start",
  permission: "proof.run",
  input: z.strictObject({ mode: z.enum(["smoke", "full"]) }),
  handler: async ({ mode }, principal) => startProofRun(await getDb(), principal, mode),
});

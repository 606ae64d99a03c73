import { z } from "zod";

/** A proof run as the API answers it (lib/proof-runs ProofRunView). */
export const proofRunSchema = z.object({
  id: z.string(),
  mode: z.enum(["smoke", "full"]),
  status: z.enum(["running", "passed", "failed", "error"]),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  startedBy: z.string(),
  verdicts: z.object({ contention: z.boolean(), isolation: z.boolean(), audit: z.boolean() }).nullable(),
  claims: z.object({ passed: z.number(), total: z.number() }).nullable(),
  totalMs: z.number().nullable(),
  commit: z.string().nullable(),
});

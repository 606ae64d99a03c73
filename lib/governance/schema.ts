import { z } from "zod";

/**
 * A job's governance declaration (who owns it, why it exists, its risk and oversight, who
 * signed it off). Only zod here: the runs table types its governance snapshot from this
 * (db/schema/runs.ts), the job schema embeds it.
 */
export const riskLevels = ["minimal", "limited", "high"] as const;
export const humanOversightModes = ["none", "approve-tools", "approve-run"] as const;

export const governanceSchema = z.strictObject({
  owner: z.email(),
  purpose: z.string().trim().min(1),
  riskLevel: z.enum(riskLevels),
  dataCategories: z.array(z.string().trim().min(1)),
  humanOversight: z.enum(humanOversightModes),
  authorizedBy: z.email(),
  authorizedAt: z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: "Expected an ISO date (YYYY-MM-DD) or date-time",
  }),
  retentionDays: z.number().int().max(2_147_483_647).positive(),
});

export type Governance = z.output<typeof governanceSchema>;

import "server-only";
import { z } from "zod";
import { actorKinds } from "@/db/schema/audit";

const text = z.string().trim().min(1).max(200);
const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

/**
 * The audit explorer's filters as query-string parameters. Unknown parameters are
 * refused, so a misspelt filter answers 400 instead of silently matching everything.
 */
export const auditListQuerySchema = z
  .strictObject({
    /** The explorer's query language (lib/audit/explorer/query-language.ts). */
    q: z.string().max(2000).optional(),
    cursor: z.coerce.number().int().positive().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    action: text.optional(),
    actorKind: z.enum(actorKinds).optional(),
    actorId: text.optional(),
    subjectType: text.optional(),
    subjectId: text.optional(),
    from: instant.optional(),
    to: instant.optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    message: "from must not be after to",
    path: ["from"],
  });

export type AuditListQuery = z.infer<typeof auditListQuerySchema>;

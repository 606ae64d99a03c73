import type { Role } from "@/db/schema";

/** The roles in ladder order, for pickers; client-safe (no database module in the bundle). */
export const roleOptions = ["reviewer", "operator", "lead", "admin"] as const satisfies readonly Role[];

// Fails to compile if a role is added to the schema but not offered here.
type Missing = Exclude<Role, (typeof roleOptions)[number]>;
const everyRoleOffered: Missing extends never ? true : false = true;
void everyRoleOffered;

export const roleHints: Record<Role, string> = {
  reviewer: "Read-only: runs, jobs, audit trail",
  operator: "Triage runs: pause, resume, cancel, retry",
  lead: "Operator, plus approvals",
  admin: "Everything, plus users and API tokens",
};

import type { Principal } from "@/lib/audit";

/**
 * The people the proof acts as. Each is a named user principal, so every weight change,
 * run start, approval and control it makes is attributed in the audit log like a person's.
 */
export const PEOPLE = {
  admin: { kind: "user", id: "proof-admin", label: "admin@proof.example", role: "admin" },
  operator: { kind: "user", id: "proof-operator", label: "operator@proof.example", role: "operator" },
  lead: { kind: "user", id: "proof-lead", label: "lead@proof.example", role: "lead" },
} as const satisfies Record<string, Principal>;

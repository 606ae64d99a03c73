import type { Role, TokenScope } from "@/db/schema";

/**
 * Who is acting. Every authorization decision and every audit event is made from one
 * of these, so "who did this, under what?" has the same answer everywhere.
 */
export type Principal =
  | { kind: "user"; id: string; label: string; role: Role; sessionId?: string }
  | {
      kind: "token";
      id: string;
      label: string;
      role: Role;
      bootstrap?: boolean;
      /** A scoped token may do only what its scope allows, whatever its role (lib/auth/policy.ts). */
      scope?: TokenScope;
      /** A token bound to a person: who, and their role right now (the token never exceeds it). */
      owner?: { id: string; label: string; role: Role };
    }
  | { kind: "run"; id: string; label: string }
  | { kind: "system"; id: string; label: string }
  | { kind: "anonymous" };

export function principalRole(p: Principal): Role | null {
  if (p.kind === "token" && p.scope) return null; // a scoped token acts by its scope, never by the role column
  return p.kind === "user" || p.kind === "token" ? p.role : null;
}

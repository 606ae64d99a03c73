import "server-only";
import type { AuditInput } from "@/lib/audit/types";
import type { Principal } from "./principal";

/** The audit trail's "who": the same answer for every event a principal causes. */
export function auditActor(principal: Principal): AuditInput["actor"] {
  if (principal.kind === "anonymous") return { kind: "anonymous", id: null, label: "anonymous" };
  return { kind: principal.kind, id: principal.id, label: principal.label };
}

/** The audit trail's "under what": how the principal proved itself and the role it held. */
export function auditAuthorization(principal: Principal, permission?: string): Record<string, unknown> {
  const base = permission ? { permission } : {};
  switch (principal.kind) {
    case "user":
      return { ...base, via: "session", role: principal.role };
    case "token":
      return principal.bootstrap
        ? { ...base, via: "bootstrap-token", role: principal.role }
        : principal.owner
          ? { ...base, via: "api-token", role: principal.role, tokenId: principal.id, owner: principal.owner.id, ownerRole: principal.owner.role }
          : { ...base, via: "service-token", role: principal.role, tokenId: principal.id };
    case "run":
      return { ...base, via: "run", runId: principal.id };
    case "system":
      return { ...base, via: "system" };
    case "anonymous":
      return { ...base, via: "none" };
  }
}

export const systemPrincipal = (id: string, label = `system:${id}`): Principal => ({ kind: "system", id, label });

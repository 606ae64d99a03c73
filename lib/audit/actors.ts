import "server-only";
import type { Governance } from "@/lib/governance";
import type { Authorization, RunAuthorization } from "./authorization";
import type { AuditInput } from "./types";
import type { Principal } from "./principal";

/**
 * Who acted, and under what authorization: the one home for both. Every audit event's
 * `actor` and `authorization` is built here (or, for the sign-in events, spelled out with
 * the same shapes in lib/auth/auth-hooks.ts).
 */
export type AuditActor = AuditInput["actor"];
export type { Authorization, RunAuthorization };

/** The audit trail's "who": the same answer for every event a principal causes. */
export function auditActor(principal: Principal): AuditActor {
  if (principal.kind === "anonymous") return { kind: "anonymous", id: null, label: "anonymous" };
  return { kind: principal.kind, id: principal.id, label: principal.label };
}

/** The audit trail's "under what": how the principal proved itself and the role it held. */
export function auditAuthorization(principal: Principal, permission?: string): Authorization {
  const base = permission ? { permission } : {};
  switch (principal.kind) {
    case "user":
      return { ...base, via: "session", role: principal.role };
    case "token":
      return principal.bootstrap
        ? { ...base, via: "bootstrap-token", role: principal.role }
        : principal.owner
          ? {
              ...base,
              via: "api-token",
              role: principal.role,
              tokenId: principal.id,
              owner: principal.owner.id,
              ownerRole: principal.owner.role,
            }
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

/** Workers act as the system; the audit names which worker. */
export function workerActor(workerId: string): AuditActor {
  return { kind: "system", id: workerId, label: `worker ${workerId}` };
}

/** A run acting (its tool calls). */
export function runActor(run: { runId: string; jobId: string }): AuditActor {
  return { kind: "run", id: run.runId, label: `run ${run.runId} (${run.jobId})` };
}

/**
 * What a worker acts under when it advances a run: the job's recorded authorization
 * (snapshotted on the run at creation), not any human's session.
 */
export function runAuthorization(run: {
  jobId: string;
  jobVersion: string;
  governance: Partial<Pick<Governance, "authorizedBy" | "authorizedAt">>;
}): RunAuthorization {
  const g = run.governance;
  return {
    via: "job-governance",
    jobId: run.jobId,
    jobVersion: run.jobVersion,
    authorizedBy: g.authorizedBy ?? null,
    authorizedAt: g.authorizedAt ?? null,
  };
}

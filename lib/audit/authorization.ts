import type { Role } from "@/db/schema";

/** What every authorization may add: the permission the action was checked against. */
type Checked = {
  permission?: string;
  /** A job's registration also records the declaration's sign-off (lib/jobs/sync.ts). */
  authorizedBy?: string | null;
  authorizedAt?: string | null;
};

/** The authority an action was taken under, told apart by `via`. */
export type Authorization =
  /** A signed-in user (session cookie); `password` for the sign-in itself. */
  | (Checked & { via: "session" | "password"; role: Role })
  /** A person's token: acts as `owner`, capped by the owner's role at the time (`ownerRole`). */
  | (Checked & { via: "api-token"; role: Role; tokenId: string; owner?: string; ownerRole?: Role })
  /** A service token (made with the bootstrap token or the CLI): a role and a name, no person. */
  | (Checked & { via: "service-token"; role: Role; tokenId: string })
  /** The bootstrap token from FLIGHTDECK_BOOTSTRAP_TOKEN (not a row). */
  | (Checked & { via: "bootstrap-token"; role: Role })
  /** A run acting as a principal (its id). */
  | (Checked & { via: "run"; runId: string })
  | (Checked & { via: "system"; reason?: string })
  | (Checked & { via: "none" })
  /** A worker advancing a run, or a run's tool call: the job's recorded authorization, snapshotted on the run. */
  | RunAuthorization;

export type RunAuthorization = {
  via: "job-governance";
  jobId: string;
  jobVersion: string;
  authorizedBy: string | null;
  authorizedAt: string | null;
  /** On tool calls: the job's oversight mode the call was held to. */
  humanOversight?: string;
};

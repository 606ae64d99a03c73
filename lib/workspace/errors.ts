import "server-only";

/**
 * A path that would leave the run's workspace. The wrapper turns it into a refused tool
 * result and an audit event `workspace.escape_refused` carrying the attempted path.
 */
export class WorkspaceEscapeError extends Error {
  readonly auditAction = "workspace.escape_refused";
  constructor(
    readonly attemptedPath: string,
    readonly why: string,
  ) {
    super(`path refused: ${why}`);
    this.name = "WorkspaceEscapeError";
  }
}

/** A write that would take the workspace over its size quota. */
export class WorkspaceQuotaError extends Error {
  constructor(
    readonly usedBytes: number,
    readonly requestedBytes: number,
    readonly quotaBytes: number,
  ) {
    super(
      `workspace quota exceeded: ${usedBytes} bytes used, writing ${requestedBytes} bytes, quota ${quotaBytes} bytes`,
    );
    this.name = "WorkspaceQuotaError";
  }
}

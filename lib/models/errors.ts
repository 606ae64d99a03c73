import "server-only";

export type ModelCallFailure =
  /** The provider answered with an error (after retries for 429/5xx), or an unusable response. */
  | "provider"
  /** The turn's deadline passed before the model answered. */
  | "deadline"
  /** The run's signal aborted (cancel, lease loss). */
  | "aborted"
  /** The job names an endpoint that is not configured. */
  | "config";

/** Why a model call produced no answer; the turn fails with `message`. */
export class ModelCallError extends Error {
  constructor(
    readonly failure: ModelCallFailure,
    message: string,
    readonly attempts: number,
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = "ModelCallError";
  }
}

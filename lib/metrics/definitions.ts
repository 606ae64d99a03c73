import "server-only";
import { Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * Every metric GET /api/metrics exposes, in a registry of its own (never prom-client's
 * global one, and without its default process metrics: a scrape describes the whole
 * deployment from the database, not the one process that happened to answer).
 *
 * Labels are bounded by configuration: job ids, model endpoints, registered tool names (a
 * name a model made up is "unknown"), declared or admin-weighted fair-share keys (any other
 * key is "other"), states and outcomes. No label ever carries a run id (tests/metrics/labels.test.ts).
 */
export function createMetrics() {
  const registry = new Registry();
  const registers = [registry];

  const runs = new Gauge({
    name: "flightdeck_runs",
    help: "Runs not yet finished, by job and state (queued, running, waiting, paused).",
    labelNames: ["job_id", "state"] as const,
    registers,
  });
  const runsFinished = new Counter({
    name: "flightdeck_runs_finished_total",
    help: "Runs that reached a terminal state since this process started scraping, by job and final state.",
    labelNames: ["job_id", "state"] as const,
    registers,
  });
  const turns = new Counter({
    name: "flightdeck_turns_total",
    help: "Turns finished since this process started scraping, by job and outcome (completed, failed, aborted).",
    labelNames: ["job_id", "outcome"] as const,
    registers,
  });
  const turnDuration = new Histogram({
    name: "flightdeck_turn_duration_seconds",
    help: "Wall-clock time of finished turns (claim to checkpoint), by job and outcome.",
    labelNames: ["job_id", "outcome"] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    registers,
  });
  const modelCallDuration = new Histogram({
    name: "flightdeck_model_call_duration_seconds",
    help: "Wall-clock time of turns' model calls (provider retries and backoff included), by model endpoint.",
    labelNames: ["endpoint"] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers,
  });
  const turnWait = new Histogram({
    name: "flightdeck_turn_wait_seconds",
    help: 'How long a run waited runnable before a worker claimed its turn, by fair-share key (declared groups and admin-weighted keys; any other key is "other").',
    labelNames: ["fair_share_key"] as const,
    buckets: [0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600],
    registers,
  });
  const toolCalls = new Counter({
    name: "flightdeck_tool_calls_total",
    help: "Tool calls settled since this process started scraping, by tool and outcome (succeeded, failed, refused).",
    labelNames: ["tool", "outcome"] as const,
    registers,
  });
  const toolCallDuration = new Histogram({
    name: "flightdeck_tool_call_duration_seconds",
    help: "Execution time of tool calls that ran (succeeded or failed), by tool and outcome.",
    labelNames: ["tool", "outcome"] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers,
  });
  const endpointSlotsInUse = new Gauge({
    name: "flightdeck_model_endpoint_slots_in_use",
    help: "Live leases holding a slot of the model endpoint (runs sleeping out a provider backoff excluded).",
    labelNames: ["endpoint"] as const,
    registers,
  });
  const endpointSlotsMax = new Gauge({
    name: "flightdeck_model_endpoint_slots_max",
    help: "The model endpoint's configured max concurrency.",
    labelNames: ["endpoint"] as const,
    registers,
  });
  const endpointTokensLastMinute = new Gauge({
    name: "flightdeck_model_endpoint_tokens_last_minute",
    help: "Input plus output tokens of the endpoint's turns finished in the last 60 seconds.",
    labelNames: ["endpoint"] as const,
    registers,
  });
  const endpointTokensLimit = new Gauge({
    name: "flightdeck_model_endpoint_tokens_per_minute_limit",
    help: "The endpoint's configured tokens-per-minute limit (only endpoints that have one).",
    labelNames: ["endpoint"] as const,
    registers,
  });
  const endpointTokensWindow = new Gauge({
    name: "flightdeck_model_endpoint_tokens_window_used",
    help: "Tokens reserved or charged in the endpoint's current minute window (only endpoints with a limit).",
    labelNames: ["endpoint"] as const,
    registers,
  });
  const auditAppended = new Counter({
    name: "flightdeck_audit_events_appended_total",
    help: "Audit events appended to the Merkle log (the highest sealed seq; the same on every instance).",
    registers,
  });
  const auditUnsealed = new Gauge({
    name: "flightdeck_audit_unsealed_events",
    help: "Audit events written but not yet sealed into the Merkle log.",
    registers,
  });
  const auditOldestUnsealed = new Gauge({
    name: "flightdeck_audit_oldest_unsealed_age_seconds",
    help: "Age of the oldest unsealed audit event (0 when everything is sealed).",
    registers,
  });
  const flashcards = new Gauge({
    name: "flightdeck_flashcards_live",
    help: "Flashcards awaiting a person, by kind and state (open, snoozed).",
    labelNames: ["kind", "state"] as const,
    registers,
  });
  const locks = new Gauge({
    name: "flightdeck_lock_requests",
    help: "Agent-level lock requests on shared-memory entities, by status (held, waiting).",
    labelNames: ["status"] as const,
    registers,
  });
  const lockOldestWait = new Gauge({
    name: "flightdeck_lock_oldest_wait_seconds",
    help: "How long the oldest waiting lock request has waited (0 when none waits).",
    registers,
  });
  const tailBacklog = new Gauge({
    name: "flightdeck_metrics_tail_backlog",
    help: "1 when the last scrape read a full page of a tail (rows remain for the next scrape), else 0.",
    labelNames: ["tail"] as const,
    registers,
  });

  return {
    registry,
    runs,
    runsFinished,
    turns,
    turnDuration,
    modelCallDuration,
    turnWait,
    toolCalls,
    toolCallDuration,
    endpointSlotsInUse,
    endpointSlotsMax,
    endpointTokensLastMinute,
    endpointTokensLimit,
    endpointTokensWindow,
    auditAppended,
    auditUnsealed,
    auditOldestUnsealed,
    flashcards,
    locks,
    lockOldestWait,
    tailBacklog,
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

import { sql } from "drizzle-orm";
import { bigint, doublePrecision, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * One row per fair-share key (lib/scheduling): its weight, its virtual time (weighted
 * service received) and how many of its runs are runnable / hold a lease. The counters
 * are kept by a trigger on runs (migration scheduling_functions), so the claim reads a
 * table the size of the key set, never the backlog.
 */
export const schedulingKeys = pgTable(
  "scheduling_keys",
  {
    key: text("key").primaryKey(),
    weight: doublePrecision("weight").notNull().default(1),
    /** "declaration": follows the job's declared weight; "admin": set with PUT /api/scheduling/keys/{key}. */
    weightSource: text("weight_source", { enum: ["declaration", "admin"] })
      .notNull()
      .default("declaration"),
    vtime: doublePrecision("vtime").notNull().default(0),
    /** Running average of the real cost of this key's turns: the estimate charged at claim. */
    avgCost: doublePrecision("avg_cost"),
    runnable: integer("runnable").notNull().default(0),
    leased: integer("leased").notNull().default(0),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("scheduling_keys_active_idx")
      .on(t.vtime)
      .where(sql`runnable + leased > 0`),
  ],
);

/** Runnable runs per (key, priority class, model endpoint): the claim's first step reads these. */
export const schedulingLanes = pgTable(
  "scheduling_lanes",
  {
    key: text("key").notNull(),
    priority: integer("priority").notNull(),
    modelEndpoint: text("model_endpoint").notNull(),
    runnable: integer("runnable").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.key, t.priority, t.modelEndpoint] }),
    index("scheduling_lanes_top_idx")
      .on(t.priority.desc(), t.key)
      .where(sql`runnable > 0`),
  ],
);

/**
 * Per-minute usage windows of rate-limited resources (lib/resources): endpoint tokens,
 * tool calls, write budgets. scope is a fair-share key or "*" for a shared limit.
 */
export const resourceWindows = pgTable(
  "resource_windows",
  {
    resource: text("resource").notNull(),
    scope: text("scope").notNull(),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    used: bigint("used", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.resource, t.scope, t.windowStart] })],
);

/**
 * Waits for rate-limited resources (tool quotas, the write budget; lib/resources), rolled up
 * per resource and minute when each wait ends: a run parked in Waiting until the resource's
 * next window is requeued, and its wait is added here in the same transaction. Bounded: one
 * row per resource per minute in which a wait ended, pruned by the retention pass.
 */
export const resourceWaitMinutes = pgTable(
  "resource_wait_minutes",
  {
    resource: text("resource").notNull(),
    /** The minute (database clock) in which the waits ended. */
    minute: timestamp("minute", { withTimezone: true }).notNull(),
    waits: integer("waits").notNull().default(0),
    /** Sum of the waits, ms (the mean is this over `waits`). */
    waitMs: bigint("wait_ms", { mode: "number" }).notNull().default(0),
    maxWaitMs: bigint("max_wait_ms", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.resource, t.minute] }), index("resource_wait_minutes_minute_idx").on(t.minute)],
);

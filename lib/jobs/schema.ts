import "server-only";
import { z } from "zod";
import { cronProblem, isValidTimezone } from "./cron-schedule";
import { governanceSchema, humanOversightModes, riskLevels } from "@/lib/governance";
import { MAX_TOOL_NAME_LENGTH, toolNamePattern } from "@/lib/utils";

export { governanceSchema, humanOversightModes, riskLevels };
export type { Governance } from "@/lib/governance";

/**
 * THE job declaration schema (contract: notes/JOB_SHAPE.md). Objects are strict so a
 * misspelt field ("goverance") is refused instead of silently dropped.
 */
const zodSchema = z.custom<z.ZodType>((value) => value instanceof z.ZodType, {
  message: "Expected a zod schema",
});

const kebabId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, "Expected a kebab-case id (e.g. triage-ticket)");

const signalName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/, "Expected a dotted lower-case signal name (e.g. ticket.created)");

const toolName = z
  .string()
  .min(1)
  .max(MAX_TOOL_NAME_LENGTH)
  .regex(toolNamePattern, "Expected a snake_case tool name or mcp:<server>:<tool>");

const hostname = z
  .string()
  .min(1)
  .max(253)
  .regex(/^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?$/i, "Expected a host name (optionally *.domain or host:port)");

// runs.budget_* and friends are Postgres integers.
const int32 = z.number().int().max(2_147_483_647);
const positiveInt = int32.positive();

/** A shared-memory collection name (lib/memory/entity.ts holds the same rule). */
const collectionName = z
  .string()
  .regex(
    /^[a-z][a-z0-9_-]{0,63}$/,
    "Expected a collection name: lower-case letters, digits, _ and -, starting with a letter",
  );

/** Which entities a run locks before its first turn, derived from its (validated) input. */
const locksFromInput = z.custom<(input: unknown) => readonly string[]>((value) => typeof value === "function", {
  message: "Expected a function from the run input to entity names",
});

/**
 * How a run of the job reads to a person: its title from the (validated) input, e.g.
 * `input => input.subject`, and the outcome mark of a succeeded run from its output, e.g.
 * `output => output.replied ? "Reply sent" : "Reply rejected"`. Both are code, like `locks`.
 */
const runLabelFn = z.custom<(value: unknown) => string | null | undefined>((value) => typeof value === "function", {
  message: "Expected a function returning a string",
});

const timezone = z.string().min(1).refine(isValidTimezone, { message: "Unknown IANA timezone" });

export const scheduleTriggerSchema = z
  .strictObject({
    kind: z.literal("schedule"),
    cron: z.string().min(1),
    timezone,
  })
  .superRefine((trigger, ctx) => {
    if (!isValidTimezone(trigger.timezone)) return; // already reported on timezone
    const problem = cronProblem(trigger.cron, trigger.timezone);
    if (problem) ctx.addIssue({ code: "custom", path: ["cron"], message: `Invalid cron expression: ${problem}` });
  });

export const signalTriggerSchema = z.strictObject({
  kind: z.literal("signal"),
  name: signalName,
  payload: zodSchema,
  /** Largest request body this signal accepts, when more than FLIGHTDECK_MAX_BODY_BYTES (at most 64 MiB). */
  maxBodyBytes: z
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .optional(),
});

export const manualTriggerSchema = z.strictObject({ kind: z.literal("manual") });

export const triggerSchema = z.discriminatedUnion("kind", [
  scheduleTriggerSchema,
  signalTriggerSchema,
  manualTriggerSchema,
]);

/** A duration such as "90s", "30m", "4h" or "2d" (flashcards: approval expiry). */
export const durationSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,6}(s|m|h|d)$/, 'Expected a duration such as "30m", "4h" or "2d"');

/**
 * What happens to this job's approvals when nobody decides in time: after expiresAfter the
 * runtime applies onExpiry (reject unless declared otherwise) and audits it.
 */
export const approvalPolicySchema = z.strictObject({
  expiresAfter: durationSchema,
  onExpiry: z.enum(["reject", "approve"]).default("reject"),
});

export const jobDeclarationSchema = z
  .strictObject({
    id: kebabId,
    /** Which pack the job belongs to; defaults to the fair-share group. */
    domain: kebabId.optional(),
    title: z.string().trim().min(1).max(200),
    description: z.string().trim().min(1),
    input: zodSchema.default(() => z.object({})),
    triggers: z.array(triggerSchema).min(1, "Declare at least one trigger"),
    agent: z.strictObject({
      model: z.string().min(1),
      instructions: z.string().trim().min(1),
      tools: z.array(toolName),
      maxTurns: positiveInt,
      httpAllowlist: z.array(hostname).optional(),
    }),
    budgets: z.strictObject({
      tokens: positiveInt,
      turns: positiveInt,
      wallClockMs: positiveInt,
    }),
    scheduling: z.strictObject({
      group: z.string().min(1).max(64),
      weight: int32.min(1).max(1000),
      priority: int32.min(-1000).max(1000),
      deadlineMs: positiveInt.optional(),
      /**
       * How a run's fair-share key is derived from its trigger input: a dotted path
       * ("customer.email"), optionally "|domain" to take an e-mail's domain. Falls back to
       * the group when the input has no usable value there. Default: the group.
       */
      fairShareKey: z
        .string()
        .min(1)
        .max(200)
        .regex(
          /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*(\|domain)?$/,
          'Expected a dotted input path, optionally ending in "|domain"',
        )
        .optional(),
      /**
       * Rate-limited resources the job's runs use beyond their model endpoint (tool quotas
       * "tool:<name>", the write budget "writes"); each must be configured, or start-up stops.
       */
      resources: z.array(z.string().min(1).max(200)).optional(),
    }),
    governance: governanceSchema,
    /**
     * Shared memory (lib/memory): the collections this job's runs may write (reads are open
     * to every declared collection) and how long a lock wait may last before it ends in an
     * error result (default 5 minutes).
     */
    memory: z
      .strictObject({
        write: z.array(collectionName).default([]),
        lockTimeoutMs: positiveInt.max(86_400_000).optional(),
      })
      .optional(),
    /** Entities locked (exclusive) before the first turn, e.g. `input => ["customers/" + input.customer]`. */
    locks: locksFromInput.optional(),
    approval: approvalPolicySchema.optional(),
    run: z.strictObject({ title: runLabelFn.optional(), outcome: runLabelFn.optional() }).optional(),
  })
  .superRefine((decl, ctx) => {
    const seen = new Set<string>();
    decl.triggers.forEach((trigger, index) => {
      if (trigger.kind === "signal") {
        if (seen.has(trigger.name)) {
          ctx.addIssue({
            code: "custom",
            path: ["triggers", index, "name"],
            message: `Signal "${trigger.name}" is declared twice`,
          });
        }
        seen.add(trigger.name);
      }
      // A cron tick carries no input, so the job must accept an empty one.
      if (trigger.kind === "schedule" && !decl.input.safeParse({}).success) {
        ctx.addIssue({
          code: "custom",
          path: ["triggers", index],
          message: "A scheduled job's input schema must accept {} (cron ticks carry no input)",
        });
      }
    });
    const manualCount = decl.triggers.filter((t) => t.kind === "manual").length;
    if (manualCount > 1)
      ctx.addIssue({ code: "custom", path: ["triggers"], message: "Declare the manual trigger at most once" });
  });

export type JobDeclaration = z.input<typeof jobDeclarationSchema>;
export type JobDefinition = z.output<typeof jobDeclarationSchema>;
export type JobTrigger = JobDefinition["triggers"][number];
export type ScheduleTrigger = Extract<JobTrigger, { kind: "schedule" }>;
export type SignalTrigger = Extract<JobTrigger, { kind: "signal" }>;
export type RiskLevel = (typeof riskLevels)[number];
export type HumanOversight = (typeof humanOversightModes)[number];

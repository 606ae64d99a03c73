import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq, inArray } from "drizzle-orm";
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvals, runs } from "@/db/schema";
import { startSupportDemo, supportPack } from "@/domains/support";
import { createAgentExecutor } from "@/lib/agent";
import { resetEnvCache } from "@/lib/env";
import { installPacks } from "@/lib/packs";
import { decideApproval } from "@/lib/runtime/approvals";
import { startWorker, type Worker } from "@/lib/runtime/worker";
import { startTracing, traceIdOf, type Tracing } from "@/lib/telemetry";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { installJobs, waitFor } from "../helpers/agent-fixtures";

/**
 * Traces through an in-process exporter: a run is one trace from its creation to its last
 * turn, even when two workers ran its turns; the model call and every tool call are children
 * of their turn, named and attributed per the OpenTelemetry GenAI conventions.
 */
const exporter = new InMemorySpanExporter();
let tracing: Tracing | null;
let handle: TestDatabase;
let dataDir: string;
const workers: Worker[] = [];
const lead = { kind: "user" as const, id: "u_lead", label: "lead@acme.example", role: "lead" as const };

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "fd-traces-"));
  process.env.FLIGHTDECK_DATA_DIR = dataDir;
  resetEnvCache();
  tracing = startTracing({ role: "test", processors: [new SimpleSpanProcessor({ exporter })] });
  handle = await createTestDatabase();
  await installJobs(handle.db, installPacks([supportPack]));
});
afterAll(async () => {
  for (const w of workers) await w.stop();
  await tracing?.shutdown();
  delete process.env.FLIGHTDECK_DATA_DIR;
  resetEnvCache();
  await handle?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

async function worker(id: string): Promise<Worker> {
  const started = await startWorker({
    handle,
    executor: createAgentExecutor(),
    workerId: id,
    pollIntervalMs: 50,
    leaseMs: 10_000,
    logger: () => {},
  });
  workers.push(started);
  return started;
}

const attr = (span: ReadableSpan, key: string) => span.attributes[key];

describe("OpenTelemetry traces", () => {
  it("one trace per run across two workers: create → turns → model call and tool calls", async () => {
    expect(tracing).not.toBeNull();
    const demo = await startSupportDemo(handle.db);
    const triage = await handle.db
      .select({ id: runs.id })
      .from(runs)
      .where(and(inArray(runs.id, demo.runIds), eq(runs.jobId, "triage-ticket")));
    const runId = triage[0]?.id ?? "";

    // Worker A runs the first turns until the reply waits for a lead; worker B runs the rest.
    const a = await worker("worker-a");
    const [pending] = await waitFor("the run's reply waiting for approval", async () => {
      const rows = await handle.db
        .select()
        .from(approvals)
        .where(and(eq(approvals.runId, runId), eq(approvals.status, "pending")));
      return rows.length === 1 && rows;
    });
    await a.stop();
    if (!pending) throw new Error("no approval");
    await decideApproval(handle.db, pending.id, "approved", lead);
    await worker("worker-b");
    const [done] = await waitFor("the run succeeded", async () => {
      const rows = await handle.db.select().from(runs).where(eq(runs.id, runId));
      return rows[0]?.state === "succeeded" && rows;
    });

    const traceId = traceIdOf(done?.traceParent);
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const created = spans.find((s) => s.name === "create_run triage-ticket");
    expect(created && attr(created, "flightdeck.run.id")).toBe(runId);

    const turnSpans = spans.filter((s) => s.name === "turn triage-ticket");
    expect(turnSpans.length).toBeGreaterThanOrEqual(2);
    expect(turnSpans.every((s) => s.parentSpanContext?.spanId === created?.spanContext().spanId)).toBe(true);
    expect(new Set(turnSpans.map((s) => attr(s, "flightdeck.worker.id")))).toEqual(new Set(["worker-a", "worker-b"]));
    expect(turnSpans.map((s) => attr(s, "flightdeck.turn.outcome"))).toContain("wait");
    expect(turnSpans.map((s) => attr(s, "flightdeck.turn.outcome"))).toContain("complete");

    const turnIds = new Set(turnSpans.map((s) => s.spanContext().spanId));
    const chats = spans.filter((s) => attr(s, "gen_ai.operation.name") === "chat");
    expect(chats.length).toBeGreaterThanOrEqual(2);
    for (const chat of chats) {
      expect(turnIds.has(chat.parentSpanContext?.spanId ?? "")).toBe(true);
      expect(chat.name).toBe(`chat ${String(attr(chat, "gen_ai.request.model"))}`);
      expect(attr(chat, "gen_ai.provider.name")).toBe("simulated");
      expect(typeof attr(chat, "gen_ai.usage.input_tokens")).toBe("number");
      expect(typeof attr(chat, "gen_ai.usage.output_tokens")).toBe("number");
    }
    const tools = spans.filter((s) => attr(s, "gen_ai.operation.name") === "execute_tool");
    expect(tools.map((s) => attr(s, "gen_ai.tool.name"))).toContain("send_reply");
    for (const tool of tools) {
      expect(turnIds.has(tool.parentSpanContext?.spanId ?? "")).toBe(true);
      expect(tool.name).toBe(`execute_tool ${String(attr(tool, "gen_ai.tool.name"))}`);
      expect(attr(tool, "flightdeck.tool.outcome")).toBeTruthy();
    }
    // No run id is hidden in a span name: names stay low-cardinality, ids are attributes.
    expect(spans.every((s) => !s.name.includes(runId))).toBe(true);
    // Nothing from the ticket or the customer leaves on a span: no address, no wait target, no message text.
    const everything = JSON.stringify(spans.map((s) => ({ name: s.name, attributes: s.attributes, status: s.status })));
    expect(everything).not.toMatch(/@[a-z]+\.example/);
    expect(spans.every((s) => s.status.message === undefined || /^[A-Za-z_]+$/.test(s.status.message))).toBe(true);
    expect(turnSpans.map((s) => attr(s, "flightdeck.turn.wait_reason"))).toContain("approval");
  });

  it("tracing is off without OTEL_EXPORTER_OTLP_ENDPOINT, and a bad endpoint stops start-up naming it", async () => {
    const { parseEnv, EnvError } = await import("@/lib/env");
    expect(parseEnv({}).OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(() => parseEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "not a url" })).toThrow(EnvError);
    expect(() => parseEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "not a url" })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(() => parseEnv({ FLIGHTDECK_TRACE_URL: "http://jaeger:16686/trace/" })).toThrow(/FLIGHTDECK_TRACE_URL/);
  });
});

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flashcards } from "@/db/schema";
import { startSupportDemo, supportPack } from "@/domains/support";
import { createAgentExecutor } from "@/lib/agent";
import { resetEnvCache } from "@/lib/env";
import { installPacks } from "@/lib/packs";
import { startWorker, type Worker } from "@/lib/runtime/worker";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { installJobs, waitFor } from "../helpers/agent-fixtures";

/** A fresh demo gives a lead a queue: reply approvals, the SLA sweep's warning and a policy violation, within a minute. */
let handle: TestDatabase;
let worker: Worker;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "fd-fc-demo-"));
  process.env.FLIGHTDECK_DATA_DIR = dataDir;
  resetEnvCache();
  handle = await createTestDatabase();
  await installJobs(handle.db, installPacks([supportPack]));
  worker = await startWorker({
    handle,
    executor: createAgentExecutor(),
    pollIntervalMs: 50,
    leaseMs: 10_000,
    logger: () => {},
  });
});
afterAll(async () => {
  await worker?.stop();
  delete process.env.FLIGHTDECK_DATA_DIR;
  resetEnvCache();
  await handle?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe("support demo flashcards", () => {
  it("raises approval, notice (SLA) and policy cards within a minute", async () => {
    const started = Date.now();
    await startSupportDemo(handle.db);
    const cards = await waitFor(
      "cards of several kinds",
      async () => {
        const rows = await handle.db.select().from(flashcards);
        const kinds = (k: string) => rows.filter((r) => r.kind === k);
        return kinds("approval").length >= 4 && kinds("notice").length >= 1 && kinds("policy").length >= 1 && rows;
      },
      60_000,
    );
    expect(Date.now() - started).toBeLessThan(60_000);
    const approval = cards.find((c) => c.kind === "approval");
    expect(approval).toMatchObject({ state: "open", jobId: "triage-ticket", entity: "send_reply" });
    expect(approval?.expiresAt).not.toBeNull();
    expect(cards.find((c) => c.kind === "notice")).toMatchObject({
      jobId: "sla-sweep",
      title: "2 ticket(s) past SLA",
      severity: "warning",
    });
    expect(cards.find((c) => c.kind === "policy")).toMatchObject({
      jobId: "triage-ticket",
      entity: "reset_two_factor",
    });
  }, 90_000);
});

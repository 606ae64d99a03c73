import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runs } from "@/db/schema";
import { readRunFile } from "@/lib/board/workspace-files";
import { errorMessage } from "@/lib/errors";
import { sanitizeError } from "@/lib/errors/sanitize";
import { resetEnvCache } from "@/lib/env";
import { registerJobDefinitions } from "@/lib/jobs/registry";
import { syncRegistry } from "@/lib/jobs/sync";
import { createRedactor, redactString } from "@/lib/redaction";
import { deliverSignal } from "@/lib/runtime/triggers/signals";
import { openWorkspace } from "@/lib/workspace";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { signalJob } from "@/tests/fixtures/jobs";

const liveToken = "fd_LiveSessionTokenValue0123456789abcdefABCDEF";
const configured = "Model-Key-Configured-0123456789";
let handle: TestDatabase;
const previous = { dir: process.env.FLIGHTDECK_DATA_DIR, key: process.env.FLIGHTDECK_MODEL_API_KEY };

beforeAll(async () => {
  process.env.FLIGHTDECK_DATA_DIR = mkdtempSync(path.join(os.tmpdir(), "fd-secrets-"));
  process.env.FLIGHTDECK_MODEL_API_KEY = configured;
  resetEnvCache();
  handle = await createTestDatabase();
  await syncRegistry(handle.db, registerJobDefinitions([signalJob("triage-ticket", "ticket.created")]));
});
afterAll(async () => {
  process.env.FLIGHTDECK_DATA_DIR = previous.dir;
  if (previous.key === undefined) delete process.env.FLIGHTDECK_MODEL_API_KEY;
  else process.env.FLIGHTDECK_MODEL_API_KEY = previous.key;
  resetEnvCache();
  await handle.drop();
});

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error("expected the query to fail");
}

describe("secrets stay out of logs, stored errors, run inputs and the workspace view", () => {
  it("a failed query's bound parameters never reach the log line or the stored error", async () => {
    const error = await failure(() =>
      handle.db.execute(sql`select ${liveToken}::uuid as id, ${"customer@acme.example"}::text`),
    );
    // The raw error does carry them — that is the hole.
    expect(String((error as Error).message)).toContain(liveToken);
    const stored = errorMessage(error);
    const logged = JSON.stringify(sanitizeError(error));
    for (const text of [stored, logged]) {
      expect(text).not.toContain(liveToken);
      expect(text).not.toContain("customer@acme.example");
    }
    expect(stored).toMatch(/Database query failed: invalid input syntax for type uuid/);
  });

  it("run input is redacted before it is stored", async () => {
    const delivery = await deliverSignal(handle.db, {
      name: "ticket.created",
      payload: {
        subject: "Login broken",
        body: `my admin token is ${liveToken}, key ${configured.toUpperCase()}`,
        customer: "c@acme.example",
      },
      actor: { kind: "token", id: "t1", label: "bot", role: "operator" },
    });
    const [row] = await handle.db
      .select({ input: runs.input })
      .from(runs)
      .where(eq(runs.id, delivery.runs[0] ?? ""));
    const stored = JSON.stringify(row?.input);
    expect(stored).not.toContain(liveToken);
    expect(stored.toLowerCase()).not.toContain(configured.toLowerCase());
    expect(stored).toContain("[REDACTED]");
    expect(stored).toContain("Login broken");
  });

  it("configured secrets are matched case-insensitively", () => {
    const redactor = createRedactor({ secrets: () => [configured] });
    const out = redactor.redactString(`${configured} ${configured.toLowerCase()} ${configured.toUpperCase()}`);
    expect(out.toLowerCase()).not.toContain(configured.toLowerCase());
    expect(redactString(`header: ${configured.toLowerCase()}`)).toBe("header: [REDACTED]");
  });

  it("workspace files are shown redacted", async () => {
    // Workspaces live in the database and belong to a run: start one to write into.
    const delivery = await deliverSignal(handle.db, {
      name: "ticket.created",
      payload: { subject: "Workspace", body: "notes", customer: "w@acme.example" },
      actor: { kind: "token", id: "t1", label: "bot", role: "operator" },
    });
    const runId = delivery.runs[0] ?? "";
    const ws = await openWorkspace(runId);
    await ws.writeFile("notes.md", `token ${liveToken}\nkey ${configured}\n`);
    const view = await readRunFile(runId, "notes.md");
    expect(view.kind).toBe("text");
    const content = view.kind === "text" ? view.content : "";
    expect(content).not.toContain(liveToken);
    expect(content).not.toContain(configured);
  });
});

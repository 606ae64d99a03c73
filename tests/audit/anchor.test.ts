import http from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAuditEvents, startAuditSealer } from "@/lib/audit";
import { witnessQueue } from "@/lib/audit/anchor";
import { resetEnvCache } from "@/lib/env";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { sampleAuditInput } from "./fixtures";

let handle: TestDatabase;
let anchorDir: string;
let server: http.Server;
let url: string;
const received: string[] = [];
let failuresLeft = 2;

beforeAll(async () => {
  anchorDir = mkdtempSync(path.join(tmpdir(), "fd-anchor-"));
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        res.writeHead(503).end();
        return;
      }
      received.push(body);
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/add-checkpoint`;
  process.env.FLIGHTDECK_AUDIT_ANCHOR_DIR = anchorDir;
  resetEnvCache();
  handle = await createTestDatabase();
});
afterAll(async () => {
  delete process.env.FLIGHTDECK_AUDIT_ANCHOR_DIR;
  resetEnvCache();
  await handle.drop();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(anchorDir, { recursive: true, force: true });
});

describe("anchoring checkpoints outside the database", () => {
  it("writes one file per checkpoint, named by tree size, holding the signed note", async () => {
    const sealer = startAuditSealer(handle, { intervalMs: 20, log: () => {} });
    try {
      for (let i = 0; i < 3; i += 1) {
        await handle.db.transaction((tx) => appendAuditEvents(tx, [sampleAuditInput({ payload: { i } })]));
        await sealer.drain();
      }
    } finally {
      await sealer.stop();
    }
    const files = readdirSync(anchorDir).sort();
    expect(files).toEqual([
      "checkpoint-0000000000000001.txt",
      "checkpoint-0000000000000002.txt",
      "checkpoint-0000000000000003.txt",
    ]);
    expect(readFileSync(path.join(anchorDir, files[2] ?? ""), "utf8")).toMatch(/^flightdeck\.local\/audit\n3\n/);
  });

  it("POSTs to a witness with retries and backoff, keeping only the newest pending note, without blocking", async () => {
    const errors: string[] = [];
    const queue = witnessQueue(url, { baseDelayMs: 20, onError: (m) => errors.push(m) });
    const t0 = performance.now();
    queue.push("note 1");
    queue.push("note 2"); // replaces note 1 before it was sent
    expect(performance.now() - t0).toBeLessThan(50); // push returns at once
    await queue.idle();
    queue.stop();
    expect(errors).toEqual(["witness answered 503", "witness answered 503"]);
    expect(received).toEqual(["note 2"]);
  });
});

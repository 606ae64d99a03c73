import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as governanceRoute from "@/app/api/governance/route";
import { loadJobRegistry } from "@/lib/jobs";
import { installPacks } from "@/lib/packs";
import { registerBuiltinTools } from "@/lib/tools";
import { createApiToken } from "@/lib/tokens/create";
import { packs } from "@/server/packs";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { serveRoutes, type TestServer } from "../auth/http";

let handle: TestDatabase;
let server: TestServer;
let reviewer: string;
let operator: string;

beforeAll(async () => {
  handle = await createTestDatabase();
  registerBuiltinTools();
  await loadJobRegistry(handle.db, installPacks(packs));
  server = await serveRoutes({ "/api/governance": governanceRoute });
  const system = { kind: "system" as const, id: "test", label: "test" };
  reviewer = (await createApiToken(handle.db, system, { name: "rev", role: "reviewer" })).token;
  operator = (await createApiToken(handle.db, system, { name: "op", role: "operator" })).token;
});
afterAll(async () => {
  await server.close();
  await handle.drop();
});

const get = (p: string, token: string) => fetch(`${server.url}${p}`, { headers: { authorization: `Bearer ${token}` } });

describe("GET /api/governance", () => {
  it("lists every job with its governance, tools (side effects, categories), versions and runs", async () => {
    const res = await get("/api/governance", reviewer);
    expect(res.status).toBe(200);
    const { jobs } = (await res.json()) as {
      jobs: {
        jobId: string;
        authorizedBy: string;
        retentionDays: number;
        tools: { name: string; sideEffect: string; dataCategories: string[] }[];
        versions: number;
        runs: number;
      }[];
    };
    const triage = jobs.find((j) => j.jobId === "triage-ticket");
    expect(triage).toMatchObject({ authorizedBy: "jane.doe@acme.example", versions: 1, runs: 0 });
    expect(triage?.tools.find((t) => t.name === "send_reply")).toEqual({
      name: "send_reply",
      sideEffect: "external",
      dataCategories: ["customer-contact", "ticket-content"],
    });
  });

  it("filters by risk and data category and exports CSV", async () => {
    const limited = (await (await get("/api/governance?risk=limited", reviewer)).json()) as {
      jobs: { jobId: string }[];
    };
    // The support triage job and the playground's sandbox agent are the limited-risk jobs.
    expect(limited.jobs.map((j) => j.jobId)).toEqual(["sandbox-agent", "triage-ticket"]);
    const notify = (await (await get("/api/governance?category=operator-notification", reviewer)).json()) as {
      jobs: { jobId: string }[];
    };
    expect(notify.jobs.map((j) => j.jobId)).toEqual(["sandbox-agent", "sla-sweep"]);
    const csv = await get("/api/governance?format=csv", reviewer);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toMatch(/^job_id,title,domain,owner,purpose,risk_level/);
    expect(lines).toHaveLength(5); // header + the four jobs of the support and playground packs
    expect((await get("/api/governance?risk=extreme", reviewer)).status).toBe(400);
  });

  it("is for reviewers and admins", async () => {
    expect((await get("/api/governance", operator)).status).toBe(403);
  });
});

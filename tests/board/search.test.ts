import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemPrincipal } from "@/lib/audit";
import { loadJobRegistry } from "@/lib/jobs";
import { installPacks } from "@/lib/packs";
import { createRun } from "@/lib/runtime";
import { packs } from "@/server/packs";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { idPrefixOf, searchQuery, searchRuns } from "@/lib/board";

describe("finding runs (command palette)", () => {
  let handle: TestDatabase;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    handle = await createTestDatabase();
    await loadJobRegistry(handle.db, installPacks(packs));
    const actor = systemPrincipal("test", "test");
    const tickets = [
      { key: "refund", subject: "Refund for order 42", customer: "ada@lovelace.example" },
      { key: "sso", subject: "SSO login loops", customer: "grace@hopper.example" },
      { key: "percent", subject: "Discount of 100% not applied", customer: "alan@turing.example" },
      { key: "cafe", subject: "Order cafe 2024 lost", customer: "alan@turing.example" },
    ];
    for (const t of tickets) {
      const run = await handle.db.transaction((tx) =>
        createRun(tx, {
          jobId: "triage-ticket",
          input: { subject: t.subject, body: "Body.", customer: t.customer },
          trigger: { kind: "manual" },
          actor,
        }),
      );
      ids[t.key] = run.id;
    }
  });
  afterAll(async () => {
    await handle.drop();
  });

  const find = (q: string) => searchRuns(handle.db, searchQuery.parse({ q }));

  it("finds a run by words of its title, case-insensitively, and names its job", async () => {
    const result = await find("refund for");
    expect(result.runs.map((r) => r.id)).toEqual([ids.refund]);
    expect(result.runs[0]).toMatchObject({ title: "Refund for order 42", jobTitle: "Triage support ticket" });
  });

  it("finds a run by its short id, or more of it with or without dashes", async () => {
    const id = ids.sso ?? "";
    const hex = id.replace(/-/g, "");
    expect((await find(hex.slice(0, 8))).runs.map((r) => r.id)).toContain(id);
    expect((await find(hex.slice(0, 14))).runs.map((r) => r.id)).toEqual([id]);
    expect((await find(id.slice(0, 13))).runs.map((r) => r.id)).toEqual([id]);
  });

  it("finds runs by customer address or domain, and by job; newest first", async () => {
    expect((await find("hopper.example")).runs.map((r) => r.id)).toEqual([ids.sso]);
    const byJob = await find("triage");
    expect(byJob.runs.map((r) => r.id)).toEqual([ids.cafe, ids.percent, ids.sso, ids.refund]);
    expect(byJob.jobs).toEqual([{ id: "triage-ticket", title: "Triage support ticket" }]);
  });

  it("takes LIKE wildcards literally and finds nothing for nothing", async () => {
    expect((await find("100%")).runs.map((r) => r.id)).toEqual([ids.percent]);
    expect((await find("%")).runs.map((r) => r.id)).toEqual([ids.percent]);
    expect((await find("no such ticket")).runs).toEqual([]);
    expect(searchQuery.safeParse({ q: "  " }).success).toBe(false);
  });

  it("a short run of hex digits is also a word: title matches are not hidden behind an id match", async () => {
    expect((await find("cafe")).runs.map((r) => r.id)).toContain(ids.cafe);
    expect((await find("2024")).runs.map((r) => r.id)).toContain(ids.cafe);
  });

  it("reads an id prefix only from hex digits", () => {
    expect(idPrefixOf("abcd1234ef")).toBe("abcd1234-ef");
    expect(idPrefixOf("ABCD")).toBe("abcd");
    expect(idPrefixOf("abc")).toBeNull();
    expect(idPrefixOf("refund")).toBeNull();
  });
});

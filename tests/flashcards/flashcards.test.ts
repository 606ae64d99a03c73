import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import * as listRoute from "@/app/api/flashcards/route";
import * as cardRoute from "@/app/api/flashcards/[id]/route";
import * as decisionRoute from "@/app/api/flashcards/[id]/decision/route";
import * as approvalDecisionRoute from "@/app/api/approvals/[id]/[decision]/route";
import { approvals, flashcardDecisions, flashcards, runs, type Role } from "@/db/schema";
import { raiseFlashcard } from "@/lib/flashcards";
import { expireDueCards, returnSnoozedCards } from "@/lib/flashcards/sweep";
import { defineTool, invokeTool, registerBuiltinTools, registerTools } from "@/lib/tools";
import { createApiToken } from "@/lib/tokens";
import { serveRoutes, type TestServer } from "@/tests/auth/http";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { auditFor, installJobs, newRun, scopeFor, testJob } from "@/tests/helpers/agent-fixtures";
import { addUser } from "@/tests/auth/fixtures";

/** Flashcards end to end on a real database and real HTTP: dedup, approvals, two-person, edit, expiry, snooze, races. */
let handle: TestDatabase;
let server: TestServer;
const tokens = new Map<string, string>();
const charged: number[] = [];

const refund = defineTool({
  name: "refund_payment",
  description: "Refunds a payment (external)",
  input: z.strictObject({ amount: z.number().int().positive().max(500), reason: z.string().min(3) }),
  sideEffect: "external",
  dataCategories: ["payment"],
  execute: async ({ amount }) => {
    charged.push(amount);
    return { refunded: amount };
  },
});

const gated = testJob({
  id: "fc-gated",
  agent: { model: "default", instructions: "t", tools: ["refund_payment", "notify"], maxTurns: 5 },
  governance: { ...testJob({ id: "x" }).governance, humanOversight: "approve-tools" },
});
const risky = testJob({
  id: "fc-risky",
  governance: { ...testJob({ id: "x" }).governance, humanOversight: "approve-run", riskLevel: "high" },
});
const expiring = testJob({
  id: "fc-expiring",
  governance: { ...testJob({ id: "x" }).governance, humanOversight: "approve-run" },
  approval: { expiresAfter: "1h", onExpiry: "reject" },
});
const plain = testJob({
  id: "fc-plain",
  agent: { model: "default", instructions: "t", tools: ["notify"], maxTurns: 5 },
});

beforeAll(async () => {
  handle = await createTestDatabase();
  registerBuiltinTools();
  registerTools([refund]);
  await installJobs(handle.db, [gated, risky, expiring, plain]);
  server = await serveRoutes({
    "/api/flashcards": listRoute,
    "/api/flashcards/[id]": cardRoute,
    "/api/flashcards/[id]/decision": decisionRoute,
    "/api/approvals/[id]/[decision]": approvalDecisionRoute,
  });
  // Each token belongs to a person of its role (approvals are decided by people).
  for (const [name, role] of [
    ["reviewer", "reviewer"],
    ["operator", "operator"],
    ["lead", "lead"],
    ["lead2", "lead"],
    ["admin", "admin"],
  ] as const) {
    const person = await addUser(handle.db, `fc-${name}@example.com`, role as Role);
    const owner = { kind: "user", id: person.id, label: person.email, role: role as Role } as const;
    const created = await createApiToken(handle.db, owner, { name: `fc-${name}`, role: role as Role });
    tokens.set(name, created.token);
  }
});
afterAll(async () => {
  await server.close();
  await handle.drop();
});

async function call(method: string, path: string, who: string | null, body?: unknown) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  const token = who ? tokens.get(who) : undefined;
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies are asserted field by field below
  const json = (await response.json()) as any;
  return { status: response.status, json };
}

async function cardFor(runId: string, kind = "approval") {
  const rows = await handle.db.select().from(flashcards).where(eq(flashcards.runId, runId));
  const card = rows.find((c) => c.kind === kind);
  if (!card) throw new Error(`no ${kind} card for run ${runId}`);
  return card;
}

const toolCall = (callIndex: number, input: unknown, turnIndex = 0) => ({
  toolCallId: `c${turnIndex}-${callIndex}`,
  toolName: "refund_payment",
  input,
  turnIndex,
  callIndex,
});

describe("flashcards", () => {
  it("deduplicates by fingerprint while live: five identical policy violations are one card with count 5", async () => {
    const runId = await newRun(handle.db, plain.id);
    const scope = await scopeFor(handle.db, runId, plain);
    for (let i = 0; i < 5; i++) {
      const r = await invokeTool(scope, {
        toolCallId: `p${i}`,
        toolName: "delete_everything",
        input: {},
        turnIndex: 0,
        callIndex: i,
      });
      expect(r.outcome).toBe("refused");
    }
    const policy = await handle.db
      .select()
      .from(flashcards)
      .where(eq(flashcards.fingerprint, `policy:${plain.id}:delete_everything:tool.policy_violation`));
    expect(policy).toHaveLength(1);
    expect(policy[0]).toMatchObject({ kind: "policy", state: "open", count: 5, severity: "critical", jobId: plain.id });
    expect(policy[0]?.lastSeenAt.getTime()).toBeGreaterThanOrEqual(policy[0]?.firstSeenAt.getTime() ?? 0);

    // Dismissed, the next violation opens a new card.
    const card = policy[0];
    if (!card) throw new Error("no card");
    expect(
      (
        await call("POST", `/api/flashcards/${card.id}/decision`, "lead", {
          decision: "dismiss",
          reason: "known, prompt being fixed",
        })
      ).status,
    ).toBe(200);
    await invokeTool(scope, { toolCallId: "p9", toolName: "delete_everything", input: {}, turnIndex: 1, callIndex: 0 });
    const after = await handle.db.select().from(flashcards).where(eq(flashcards.fingerprint, card.fingerprint));
    expect(after.map((c) => [c.state, c.count]).sort()).toEqual([
      ["dismissed", 5],
      ["open", 1],
    ]);
  });

  it("a warning from notify (the SLA sweep's kind of message) becomes a notice card", async () => {
    const runId = await newRun(handle.db, plain.id);
    const scope = await scopeFor(handle.db, runId, plain);
    await invokeTool(scope, {
      toolCallId: "n0",
      toolName: "notify",
      input: { title: "2 ticket(s) past SLA", message: "• tkt_1 …", level: "warning" },
      turnIndex: 0,
      callIndex: 0,
    });
    await invokeTool(scope, {
      toolCallId: "n1",
      toolName: "notify",
      input: { title: "fyi", message: "all good" },
      turnIndex: 0,
      callIndex: 1,
    });
    const cards = await handle.db.select().from(flashcards).where(eq(flashcards.runId, runId));
    expect(cards.map((c) => [c.kind, c.title, c.severity])).toEqual([["notice", "2 ticket(s) past SLA", "warning"]]);
  });

  it("reads for every role, decides only for leads and admins, 401 for anonymous", async () => {
    const runId = await newRun(handle.db, expiring.id);
    const card = await cardFor(runId);
    for (const who of ["reviewer", "operator", "lead", "admin"]) {
      const list = await call("GET", "/api/flashcards?kind=approval&state=open", who);
      expect(list.status).toBe(200);
      expect(list.json.cards.some((c: { id: string }) => c.id === card.id)).toBe(true);
      expect(list.json.openCount).toBeGreaterThan(0);
      expect((await call("GET", `/api/flashcards/${card.id}`, who)).status).toBe(200);
    }
    expect((await call("GET", "/api/flashcards", null)).status).toBe(401);
    for (const who of ["reviewer", "operator"]) {
      expect((await call("POST", `/api/flashcards/${card.id}/decision`, who, { decision: "approve" })).status).toBe(
        403,
      );
    }
    expect((await call("POST", `/api/flashcards/${card.id}/decision`, null, { decision: "approve" })).status).toBe(401);
    const noReason = await call("POST", `/api/flashcards/${card.id}/decision`, "lead", { decision: "reject" });
    expect(noReason.status).toBe(400);
    expect(noReason.json.error.issues[0].path).toEqual(["reason"]);
    expect((await call("GET", "/api/flashcards?state=nope", "lead")).status).toBe(400);
    expect((await call("GET", "/api/flashcards/fc_missing", "lead")).status).toBe(404);
    const detail = await call("GET", `/api/flashcards/${card.id}`, "reviewer");
    expect(detail.json.run).toMatchObject({ id: runId, jobId: expiring.id, state: "waiting" });
    expect(detail.json.card.expiresAt).not.toBeNull();
  });

  it("a rejected run approval cancels the run, is final (409 with the state) and keeps the approvals API in step", async () => {
    const runId = await newRun(handle.db, expiring.id);
    const card = await cardFor(runId);
    const rejected = await call("POST", `/api/flashcards/${card.id}/decision`, "lead", {
      decision: "reject",
      reason: "not this week",
    });
    expect(rejected).toMatchObject({
      status: 200,
      json: { card: { state: "rejected", decidedByLabel: "token:fc-lead" }, run: { state: "cancelled" } },
    });
    const again = await call("POST", `/api/flashcards/${card.id}/decision`, "admin", { decision: "approve" });
    expect(again.status).toBe(409);
    expect(again.json.error.state).toBe("rejected");
    const [approval] = await handle.db
      .select()
      .from(approvals)
      .where(eq(approvals.id, card.approvalId ?? ""));
    expect(approval).toMatchObject({ status: "rejected", note: "not this week" });
    expect((await call("POST", `/api/approvals/${card.approvalId}/approve`, "lead")).status).toBe(409);
    const events = await auditFor(handle.db, card.approvalId ?? "", "approval.rejected");
    expect(events[0]?.authorization).toMatchObject({ permission: "runs.approve", role: "lead", via: "api-token" });

    // The old API decides, the card follows.
    const other = await newRun(handle.db, expiring.id);
    const otherCard = await cardFor(other);
    expect((await call("POST", `/api/approvals/${otherCard.approvalId}/approve`, "lead")).status).toBe(200);
    expect((await cardFor(other)).state).toBe("approved");
  });

  it("edit-then-approve: an edit that breaks the tool's schema is refused; a valid one runs with the edit and records the diff", async () => {
    const runId = await newRun(handle.db, gated.id);
    const scope = await scopeFor(handle.db, runId, gated);
    const parked = await invokeTool(scope, toolCall(0, { amount: 400, reason: "duplicate charge" }));
    expect(parked.outcome).toBe("awaiting_approval");
    const card = await cardFor(runId);
    expect(card).toMatchObject({ kind: "approval", entity: "refund_payment", state: "open" });
    expect(card.details).toMatchObject({ tool: "refund_payment", input: { amount: 400, reason: "duplicate charge" } });

    const invalid = await call("POST", `/api/flashcards/${card.id}/decision`, "lead", {
      decision: "approve",
      editedInput: { amount: 9000, reason: "duplicate charge" },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error.issues[0].path).toEqual(["editedInput", "amount"]);
    expect((await cardFor(runId)).state).toBe("open");

    const ok = await call("POST", `/api/flashcards/${card.id}/decision`, "lead", {
      decision: "approve",
      editedInput: { amount: 200, reason: "duplicate charge" },
    });
    expect(ok).toMatchObject({ status: 200, json: { card: { state: "approved" } } });
    const [decision] = await handle.db.select().from(flashcardDecisions).where(eq(flashcardDecisions.cardId, card.id));
    expect(decision).toMatchObject({
      decision: "approve",
      actorLabel: "token:fc-lead",
      diff: [{ path: "amount", before: 400, after: 200 }],
    });
    const audited = await auditFor(handle.db, card.approvalId ?? "", "approval.approved");
    expect(audited[0]?.payload).toMatchObject({ diff: [{ path: "amount", before: 400, after: 200 }] });

    const executed = await invokeTool(scope, toolCall(0, { amount: 400, reason: "duplicate charge" }));
    expect(executed.outcome).toBe("succeeded");
    expect(executed.output).toEqual({ refunded: 200 });
    expect(charged).toEqual([200]);
  });

  it("a rejected tool call goes back to the model as a refusal with the reason", async () => {
    const runId = await newRun(handle.db, gated.id);
    const scope = await scopeFor(handle.db, runId, gated);
    await invokeTool(scope, toolCall(0, { amount: 50, reason: "goodwill" }));
    const card = await cardFor(runId);
    expect(
      (
        await call("POST", `/api/flashcards/${card.id}/decision`, "lead", {
          decision: "reject",
          reason: "no goodwill refunds",
        })
      ).status,
    ).toBe(200);
    const answer = await invokeTool(scope, toolCall(0, { amount: 50, reason: "goodwill" }));
    expect(answer.outcome).toBe("refused");
    expect(answer.error).toMatch(/rejected by token:fc-lead: no goodwill refunds/);
  });

  it("risk high needs two different people: 1 of 2, the same person twice is refused, the second person completes it", async () => {
    const runId = await newRun(handle.db, risky.id);
    const card = await cardFor(runId);
    expect(card).toMatchObject({ approvalsRequired: 2, severity: "critical" });
    const first = await call("POST", `/api/flashcards/${card.id}/decision`, "lead", { decision: "approve" });
    expect(first).toMatchObject({
      status: 200,
      json: {
        card: { state: "open", approvalsGiven: 1 },
        approvals: { given: 1, required: 2 },
        run: { state: "waiting" },
      },
    });
    const twice = await call("POST", `/api/flashcards/${card.id}/decision`, "lead", { decision: "approve" });
    expect(twice.status).toBe(409);
    expect(twice.json.error.message).toMatch(/already approved/);
    const second = await call("POST", `/api/flashcards/${card.id}/decision`, "lead2", { decision: "approve" });
    expect(second).toMatchObject({
      status: 200,
      json: { card: { state: "approved" }, approvals: { given: 2, required: 2 }, run: { state: "queued" } },
    });
    const partial = await auditFor(handle.db, card.approvalId ?? "", "approval.approved_partial");
    expect(partial).toHaveLength(1);
  });

  it("two leads deciding one card at once: exactly one wins, the other gets 409", async () => {
    const runId = await newRun(handle.db, expiring.id);
    const card = await cardFor(runId);
    const [a, b] = await Promise.all([
      call("POST", `/api/flashcards/${card.id}/decision`, "lead", { decision: "approve" }),
      call("POST", `/api/flashcards/${card.id}/decision`, "lead2", { decision: "reject", reason: "no" }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const decisions = await handle.db.select().from(flashcardDecisions).where(eq(flashcardDecisions.cardId, card.id));
    expect(decisions).toHaveLength(1);
    const final = await cardFor(runId);
    expect(final.state).toBe(a.status === 200 ? "approved" : "rejected");
  });

  it("expiry: the job's default action is applied and audited by the runtime", async () => {
    const runId = await newRun(handle.db, expiring.id);
    const card = await cardFor(runId);
    expect(card.onExpiry).toBe("reject");
    expect(await expireDueCards(handle.db)).toBe(0);
    await handle.db
      .update(flashcards)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(flashcards.id, card.id));
    expect(await expireDueCards(handle.db)).toBe(1);
    const after = await cardFor(runId);
    expect(after).toMatchObject({ state: "expired", decidedByLabel: "approval expiry (runtime)" });
    const [run] = await handle.db.select().from(runs).where(eq(runs.id, runId));
    expect(run).toMatchObject({ state: "cancelled", stateReason: "rejected" });
    const events = await auditFor(handle.db, card.approvalId ?? "", "approval.expired");
    expect(events[0]?.payload).toMatchObject({ decision: "rejected" });
    expect(events[0]?.authorization).toMatchObject({ via: "system" });
  });

  it("snooze hides a card until its time, then it returns; snooze needs a future time", async () => {
    const tx = await handle.db.transaction((t) =>
      raiseFlashcard(t, { kind: "stuck", fingerprint: "test:snooze", severity: "warning", title: "t", why: "w" }),
    );
    expect((await call("POST", `/api/flashcards/${tx.id}/decision`, "lead", { decision: "snooze" })).status).toBe(400);
    expect(
      (
        await call("POST", `/api/flashcards/${tx.id}/decision`, "lead", {
          decision: "snooze",
          until: "2001-01-01T00:00:00Z",
        })
      ).status,
    ).toBe(400);
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const snoozed = await call("POST", `/api/flashcards/${tx.id}/decision`, "lead", { decision: "snooze", until });
    expect(snoozed.json.card).toMatchObject({ state: "snoozed" });
    const open = await call("GET", "/api/flashcards?kind=stuck", "lead");
    expect(open.json.cards.some((c: { id: string }) => c.id === tx.id)).toBe(false);
    // A repeat while snoozed counts on the snoozed card.
    const repeat = await handle.db.transaction((t) =>
      raiseFlashcard(t, { kind: "stuck", fingerprint: "test:snooze", severity: "warning", title: "t", why: "w" }),
    );
    expect(repeat).toMatchObject({ id: tx.id, created: false, count: 2 });
    expect(await returnSnoozedCards(handle.db)).toBe(0);
    await handle.db
      .update(flashcards)
      .set({ snoozedUntil: sql`now() - interval '1 second'` })
      .where(eq(flashcards.id, tx.id));
    expect(await returnSnoozedCards(handle.db)).toBe(1);
    const back = await call("GET", `/api/flashcards/${tx.id}`, "reviewer");
    expect(back.json.card).toMatchObject({ state: "open", snoozedUntil: null });
    expect(back.json.decisions.map((d: { decision: string }) => d.decision)).toEqual(["snooze"]);
    const approve = await call("POST", `/api/flashcards/${tx.id}/decision`, "lead", { decision: "approve" });
    expect(approve.status).toBe(400);
  });

  it("a run that ends withdraws its approval cards", async () => {
    const runId = await newRun(handle.db, expiring.id);
    const { cancelRun } = await import("@/lib/runtime/controls");
    await cancelRun(handle.db, runId, { kind: "user", id: "u-op", label: "op", role: "operator" });
    expect((await cardFor(runId)).state).toBe("withdrawn");
  });

  it("pages with a cursor over (last seen, id)", async () => {
    for (let i = 0; i < 5; i++) {
      await handle.db.transaction((t) =>
        raiseFlashcard(t, {
          kind: "anomaly",
          fingerprint: `test:page:${i}`,
          severity: "info",
          title: `p${i}`,
          why: "w",
          jobId: "paging",
        }),
      );
    }
    const first = await call("GET", "/api/flashcards?job=paging&limit=2", "reviewer");
    expect(first.json.cards).toHaveLength(2);
    const second = await call("GET", `/api/flashcards?job=paging&limit=2&cursor=${first.json.nextCursor}`, "reviewer");
    const third = await call("GET", `/api/flashcards?job=paging&limit=2&cursor=${second.json.nextCursor}`, "reviewer");
    const titles = [...first.json.cards, ...second.json.cards, ...third.json.cards].map(
      (c: { title: string }) => c.title,
    );
    expect(titles).toEqual(["p0", "p1", "p2", "p3", "p4"]);
    expect(third.json.nextCursor).toBeNull();
  });
});

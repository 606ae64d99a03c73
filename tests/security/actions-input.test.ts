import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";

/** The request headers a server action sees; each case sets them. */
const requestHeaders = { current: new Headers() };
vi.mock("next/headers", () => ({ headers: async () => requestHeaders.current }));

let handle: TestDatabase;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => handle.drop());

describe("server actions and pages given a bad bearer or unstorable input", () => {
  it("an invalid bearer is a clean unauthorized result, not a thrown 500", async () => {
    const { startRun } = await import("@/lib/actions/runs");
    requestHeaders.current = new Headers({
      authorization: "Bearer fd_not_a_real_token_at_all_000000000000",
      "x-flightdeck-peer": "203.0.113.9",
    });
    const result = await startRun({ jobId: "anything", input: {} });
    expect(result).toEqual({ ok: false, error: { code: "unauthorized", message: "Invalid token" } });
  });

  it("pages treat an invalid bearer as signed out (the sign-in redirect), never an error page", async () => {
    const { currentPrincipal } = await import("@/lib/auth/dal");
    requestHeaders.current = new Headers({ authorization: "Bearer nope", "x-flightdeck-peer": "203.0.113.9" });
    expect(await currentPrincipal()).toEqual({ kind: "anonymous" });
  });

  it("a NUL byte or lone surrogate in action input is a 400-style bad_request naming the field", async () => {
    const { runAction, actionRegistry } = await import("@/lib/actions/define-action");
    await import("@/lib/actions/runs");
    const definition = actionRegistry.get("runs.start");
    expect(definition).toBeDefined();
    if (!definition) return;
    const principal = { kind: "user", id: "u1", label: "op@x", role: "operator" } as const;
    const nul = await runAction(definition, principal, { jobId: "job\u0000", input: {} });
    expect(nul).toMatchObject({ ok: false, error: { code: "bad_request", issues: [{ path: ["jobId"] }] } });
    const surrogate = await runAction(definition, principal, { jobId: "job", input: { note: "\ud800" } });
    expect(surrogate).toMatchObject({
      ok: false,
      error: { code: "bad_request", issues: [{ path: ["input", "note"] }] },
    });
  });
});

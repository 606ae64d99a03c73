import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { addUser, setupAuth, signInRequest, type AuthFixture } from "@/tests/auth/fixtures";

let f: AuthFixture;
const password = "correct horse battery";

beforeAll(async () => {
  f = await setupAuth();
  await addUser(f.db, "ada@example.com", "operator", password);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  resetEnvCache();
  await f.close();
});

type Refusal = { error: { code: string; message: string; reason: string } };

describe("sign-in from a page opened at another origin than FLIGHTDECK_BASE_URL", () => {
  it("is refused (403) with a message naming FLIGHTDECK_BASE_URL, the origin and the URL to open", async () => {
    const warned: string[] = [];
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      warned.push(String(chunk));
      return true;
    });
    const answer = await signInRequest(f.server, "ada@example.com", password, { origin: "http://192.0.2.7:3000" });
    expect(answer.status).toBe(403);
    const body = (await answer.json()) as Refusal;
    expect(body.error).toMatchObject({ code: "forbidden", reason: "untrusted_origin" });
    expect(body.error.message).toContain("http://192.0.2.7:3000");
    expect(body.error.message).toContain("FLIGHTDECK_BASE_URL is unset");
    expect(body.error.message).toContain(`Open http://localhost:${f.server.port}`);
    expect(body.error.message).toContain("FLIGHTDECK_BASE_URL=http://192.0.2.7:3000");
    expect(answer.headers.get("set-cookie")).toBeNull();
    // The server log says the same, once per origin.
    await signInRequest(f.server, "ada@example.com", password, { origin: "http://192.0.2.7:3000" });
    stderr.mockRestore();
    const lines = warned.filter((line) => line.includes("sign-in refused") && line.includes("192.0.2.7"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("FLIGHTDECK_BASE_URL");
  });

  it("is accepted once FLIGHTDECK_BASE_URL names that origin", async () => {
    vi.stubEnv("FLIGHTDECK_BASE_URL", "http://192.0.2.7:3000");
    resetEnvCache();
    const answer = await signInRequest(f.server, "ada@example.com", password, { origin: "http://192.0.2.7:3000" });
    expect(answer.status, await answer.clone().text()).not.toBe(403);
    const refused = await signInRequest(f.server, "ada@example.com", password, { origin: "http://192.0.2.8:3000" });
    expect(((await refused.json()) as Refusal).error.message).toContain(
      "accepts sign-ins only from http://192.0.2.7:3000 (FLIGHTDECK_BASE_URL)",
    );
  });
});

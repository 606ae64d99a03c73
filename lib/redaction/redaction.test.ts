import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { REDACTED, createRedactor, isSecretKey, redact, redactString, secretValues } from "@/lib/redaction";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvCache();
});

function withEnv(vars: Record<string, string>): void {
  process.env = { ...saved, ...vars };
  resetEnvCache();
}

describe("isSecretKey", () => {
  it.each([
    "password",
    "PASSWORD",
    "newPassword",
    "db_password",
    "passwd",
    "secret",
    "clientSecret",
    "client_secret",
    "token",
    "accessToken",
    "refresh_token",
    "id-token",
    "apiKey",
    "api_key",
    "API-KEY",
    "x-api-key",
    "authorization",
    "Authorization",
    "proxy-authorization",
    "cookie",
    "Set-Cookie",
    "privateKey",
    "private_key",
    "credentials",
    "aws_secret_access_key",
    "pwd",
    "dsn",
  ])("treats %s as secret", (key) => {
    expect(isSecretKey(key)).toBe(true);
  });

  it.each([
    "tokenId",
    "inputTokens",
    "maxTokens",
    "apiKeyId",
    "secretName",
    "author",
    "role",
    "sessionId",
    "key",
    "id",
  ])("keeps %s readable", (key) => {
    expect(isSecretKey(key)).toBe(false);
  });
});

describe("redact", () => {
  it("replaces secret-keyed values at any depth and leaves the input untouched", () => {
    const input = {
      user: "ada",
      password: "hunter2hunter2",
      nested: { headers: { Authorization: "Bearer abc", "x-request-id": "r1" }, list: [{ api_key: "k1" }, { ok: 1 }] },
      usage: { inputTokens: 12, maxTokens: 100 },
      token: { value: "abc", expires: 1 },
    };
    const copy = structuredClone(input);
    const out = redact(input);
    expect(out).toEqual({
      user: "ada",
      password: REDACTED,
      nested: { headers: { Authorization: REDACTED, "x-request-id": "r1" }, list: [{ api_key: REDACTED }, { ok: 1 }] },
      usage: { inputTokens: 12, maxTokens: 100 },
      token: REDACTED,
    });
    expect(input).toEqual(copy);
    expect(out.nested).not.toBe(input.nested);
  });

  it("keeps null and boolean values under secret keys, which carry no secret", () => {
    expect(redact({ password: null, hasToken: true, token: 0 })).toEqual({
      password: null,
      hasToken: true,
      token: REDACTED,
    });
  });

  it("finds known token shapes inside free text", () => {
    const openai = `sk-proj-${"a1B2".repeat(8)}`;
    const fd = `fd_${"x".repeat(32)}`;
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
    const text = `key ${openai}, token ${fd}; header Authorization: Bearer ${fd}; jwt=${jwt}`;
    const out = redactString(text);
    expect(out).not.toContain(openai);
    expect(out).not.toContain(fd);
    expect(out).not.toContain(jwt);
    expect(out).toContain("Bearer [REDACTED]");
    expect(out.startsWith("key [REDACTED], token [REDACTED]")).toBe(true);
  });

  it("hides the password of URLs but keeps the rest", () => {
    expect(redactString("connect postgres://app:s3cr%40t@db.internal:5432/main now")).toBe(
      "connect postgres://app:[REDACTED]@db.internal:5432/main now",
    );
  });

  it("hides private key blocks", () => {
    const pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nabc\n-----END RSA PRIVATE KEY-----";
    expect(redactString(`key:\n${pem}\nend`)).toBe(`key:\n${REDACTED}\nend`);
  });

  it("replaces configured secret values from the environment wherever they occur", () => {
    const adminToken = "bootstrap-admin-token-0123456789";
    withEnv({
      FLIGHTDECK_ADMIN_TOKEN: adminToken,
      FLIGHTDECK_AUTH_SECRET: "auth-secret-auth-secret-auth-secret-42",
      DATABASE_URL: "postgres://app:pa%2Fss-w0rd-long@127.0.0.1:5432/fd",
    });
    expect(secretValues()).toEqual(
      expect.arrayContaining([
        adminToken,
        "auth-secret-auth-secret-auth-secret-42",
        "pa/ss-w0rd-long",
        "pa%2Fss-w0rd-long",
      ]),
    );
    const out = redact({
      note: `used ${adminToken} twice: ${adminToken}`,
      logs: ["pw is pa/ss-w0rd-long", "auth-secret-auth-secret-auth-secret-42!"],
    });
    expect(out).toEqual({
      note: `used ${REDACTED} twice: ${REDACTED}`,
      logs: [`pw is ${REDACTED}`, `${REDACTED}!`],
    });
  });

  it("leaves the published default demo password alone, but redacts one that was set", () => {
    withEnv({ FLIGHTDECK_DEMO_PASSWORD: "flightdeck-demo" });
    expect(secretValues()).not.toContain("flightdeck-demo");
    withEnv({ FLIGHTDECK_DEMO_PASSWORD: "a-chosen-demo-password" });
    expect(redactString("demo password a-chosen-demo-password")).toBe(`demo password ${REDACTED}`);
  });

  it("ignores env values too short to be told apart from ordinary words", () => {
    withEnv({ FLIGHTDECK_DEMO_PASSWORD: "12345678", DATABASE_URL: "postgres://u:pw@h/db" });
    expect(secretValues()).not.toContain("pw");
    expect(redactString("pw 12345678")).toBe(`pw ${REDACTED}`);
  });

  it("copies dates, flattens errors, maps and sets, and survives cycles", () => {
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    const when = new Date("2024-05-01T00:00:00.000Z");
    const out = redact({
      when,
      error: new Error("failed with sk-abcdefghijklmnopqrstuvwxyz"),
      map: new Map([
        ["secret", "x"],
        ["plain", "y"],
      ]),
      set: new Set(["a"]),
      cyclic,
    }) as unknown as Record<string, unknown>;
    expect(out.when).toEqual(when);
    expect(out.when).not.toBe(when);
    expect(out.error).toEqual({ name: "Error", message: `failed with ${REDACTED}` });
    expect(out.map).toEqual({ secret: REDACTED, plain: "y" });
    expect(out.set).toEqual(["a"]);
    expect(out.cyclic).toEqual({ name: "loop", self: "[Circular]" });
  });

  it("can be configured with other keys, patterns and secrets", () => {
    const r = createRedactor({
      isSecretKey: (k) => k === "ssn",
      patterns: [{ name: "acct", pattern: /ACCT-\d+/, replacement: "ACCT-***" }],
      secrets: () => ["opensesame"],
    });
    expect(r.redact({ ssn: "123", password: "kept", text: "ACCT-1 and ACCT-22 opensesame" })).toEqual({
      ssn: REDACTED,
      password: "kept",
      text: `ACCT-*** and ACCT-*** ${REDACTED}`,
    });
  });
});

import { afterEach, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { logger } from "./log";

const adminToken = "log-test-admin-token-0123456789abcdef";

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  resetEnvCache();
});

describe("the runtime's logger", () => {
  it("writes one JSON line with configured secrets and token shapes redacted", () => {
    vi.stubEnv("FLIGHTDECK_ADMIN_TOKEN", adminToken);
    vi.stubEnv("FLIGHTDECK_LOG_LEVEL", "info");
    vi.stubEnv("FLIGHTDECK_LOG_FORMAT", "json");
    resetEnvCache();
    const lines: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });

    logger("error", `claim failed for ${adminToken}`, {
      error: `connect failed: Authorization: Bearer ${adminToken}`,
      apiKey: "sk-live-not-for-logs",
      runId: "r-1",
    });

    expect(lines).toHaveLength(1);
    const line = lines[0] ?? "";
    expect(line).not.toContain(adminToken);
    expect(line).not.toContain("sk-live-not-for-logs");
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(parsed).toMatchObject({ level: "error", runId: "r-1", apiKey: "[REDACTED]" });
    expect(parsed.msg).toBe("claim failed for [REDACTED]");
  });

  it("writes a pretty line, redacted too, when FLIGHTDECK_LOG_FORMAT=pretty", () => {
    vi.stubEnv("FLIGHTDECK_ADMIN_TOKEN", adminToken);
    vi.stubEnv("FLIGHTDECK_LOG_FORMAT", "pretty");
    resetEnvCache();
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });

    logger("info", "worker started", { workerId: "w-1", token: adminToken });
    logger("debug", "below the default level: not written");

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} info  worker started {2}workerId=w-1 token=\[REDACTED\]\n$/);
  });
});

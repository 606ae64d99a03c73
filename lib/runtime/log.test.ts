import { afterEach, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { jsonLogger } from "./log";

const adminToken = "log-test-admin-token-0123456789abcdef";

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  resetEnvCache();
});

describe("jsonLogger", () => {
  it("writes one JSON line with configured secrets and token shapes redacted", () => {
    vi.stubEnv("FLIGHTDECK_ADMIN_TOKEN", adminToken);
    vi.stubEnv("FLIGHTDECK_LOG_LEVEL", "info");
    resetEnvCache();
    const lines: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });

    jsonLogger("error", `claim failed for ${adminToken}`, {
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
});

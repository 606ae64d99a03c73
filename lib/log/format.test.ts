import { afterEach, describe, expect, it, vi } from "vitest";
import { formatLogLine, levelEnabled, logSettings, resolveLogFormat, routeConsole, stripAnsi } from "./format.mjs";

const time = new Date(2026, 0, 2, 3, 4, 5, 6);

describe("the log format", () => {
  it("is pretty on a terminal and JSON otherwise, unless FLIGHTDECK_LOG_FORMAT says", () => {
    expect(resolveLogFormat(undefined, true)).toBe("pretty");
    expect(resolveLogFormat(undefined, false)).toBe("json");
    expect(resolveLogFormat("", false)).toBe("json");
    expect(resolveLogFormat("json", true)).toBe("json");
    expect(resolveLogFormat("pretty", false)).toBe("pretty");
    expect(() => resolveLogFormat("yaml", true)).toThrow(/FLIGHTDECK_LOG_FORMAT must be "pretty" or "json"/);
  });

  it("reads its settings from the environment and the terminal", () => {
    expect(logSettings({}, { isTTY: true })).toEqual({ format: "pretty", color: true, threshold: "info" });
    expect(logSettings({ NO_COLOR: "1" }, { isTTY: true })).toMatchObject({ format: "pretty", color: false });
    expect(logSettings({ FLIGHTDECK_LOG_FORMAT: "pretty" }, {})).toMatchObject({ format: "pretty", color: false });
    expect(logSettings({ FLIGHTDECK_LOG_LEVEL: "warn" }, {})).toEqual({
      format: "json",
      color: false,
      threshold: "warn",
    });
  });

  it("writes one JSON object per line: ts, level, msg, then the fields, colors stripped", () => {
    const line = formatLogLine("json", {
      level: "warn",
      msg: "\u001b[33mfirst\u001b[39m line\nsecond line",
      fields: { source: "next build", level: "not this one", n: 2 },
      time,
    });
    expect(line).not.toContain("\n");
    expect(JSON.parse(line)).toEqual({
      ts: time.toISOString(),
      level: "warn",
      msg: "first line\nsecond line",
      source: "next build",
      n: 2,
    });
  });

  it("writes a pretty line: local time, level, message, key=value fields (quoted when needed)", () => {
    const line = formatLogLine("pretty", {
      level: "info",
      msg: "ready",
      fields: { url: "http://localhost:3000", note: "two words", n: 3, skipped: undefined },
      time,
    });
    expect(line).toBe('03:04:05.006 info  ready  url=http://localhost:3000 note="two words" n=3');
    const relayed = formatLogLine("pretty", {
      level: "warn",
      msg: "npm warn EBADENGINE",
      fields: { source: "npm ci" },
      time,
    });
    expect(relayed).toBe("03:04:05.006 warn  [npm ci] npm warn EBADENGINE");
    const colored = formatLogLine("pretty", { level: "error", msg: "boom", time }, { color: true });
    expect(colored).toContain("\u001b[31merror\u001b[39m");
    expect(stripAnsi(colored)).toBe("03:04:05.006 error boom");
  });

  it("filters by level", () => {
    expect(levelEnabled("debug")).toBe(false);
    expect(levelEnabled("info")).toBe(true);
    expect(levelEnabled("info", "warn")).toBe(false);
    expect(levelEnabled("error", "warn")).toBe(true);
    expect(levelEnabled("debug", "debug")).toBe(true);
  });
});

describe("routeConsole", () => {
  const saved = { ...console };
  const flag = Symbol.for("flightdeck.console");
  afterEach(() => {
    Object.assign(console, saved);
    delete (globalThis as Record<symbol, unknown>)[flag];
    vi.restoreAllMocks();
  });

  it("turns console.* of the process into lines of the format, warn and error on stderr", () => {
    const out: string[] = [];
    const err: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => out.push(String(chunk)) > 0);
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => err.push(String(chunk)) > 0);

    routeConsole({ format: "json", color: false, threshold: "info" });
    console.log("✓ Ready in %d ms", 42);
    console.debug("not at info");
    console.error(new Error("request failed"));
    console.warn("careful", { retry: true });

    expect(out.map((line) => JSON.parse(line) as unknown)).toEqual([
      expect.objectContaining({ level: "info", msg: "✓ Ready in 42 ms" }),
    ]);
    const [error, warning] = err.map((line) => JSON.parse(line) as { level: string; msg: string });
    expect(error?.level).toBe("error");
    expect(error?.msg).toMatch(/^Error: request failed\n\s+at /);
    expect(warning).toMatchObject({ level: "warn", msg: "careful { retry: true }" });
  });
});

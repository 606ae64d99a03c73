import { describe, expect, it } from "vitest";
import { AuditQueryError, parseAuditQuery, suggestKey } from "./query-language";

const now = Date.parse("2026-11-30T12:00:00Z");

function failure(q: string): AuditQueryError {
  try {
    parseAuditQuery(q, now);
  } catch (error) {
    if (error instanceof AuditQueryError) return error;
    throw error;
  }
  throw new Error(`"${q}" parsed`);
}

describe("audit query language", () => {
  it("parses keys, prefix wildcards, quoted values and free text", () => {
    const p = parseAuditQuery(
      'actor:jane@acme.example action:run.* action:tool.called run:3F2A9c job:triage-ticket "ada@example.com" outcome:refused refund',
      now,
    );
    expect(p.actors).toEqual(["jane@acme.example"]);
    expect(p.actions).toEqual([
      { value: "run.", prefix: true },
      { value: "tool.called", prefix: false },
    ]);
    expect(p.runs).toEqual(["3f2a9c"]);
    expect(p.jobs).toEqual(["triage-ticket"]);
    expect(p.outcomes).toEqual(["refused"]);
    expect(p.text).toEqual(["ada@example.com", "refund"]);
  });

  it("reads since/until as ISO (UTC when no zone) or relative to now", () => {
    const p = parseAuditQuery("since:24h until:2026-11-30T10:00", now);
    expect(p.since?.toISOString()).toBe("2026-11-29T12:00:00.000Z");
    expect(p.until?.toISOString()).toBe("2026-11-30T10:00:00.000Z");
    expect(parseAuditQuery("since:2026-11-01", now).since?.toISOString()).toBe("2026-11-01T00:00:00.000Z");
  });

  it("subject takes an id or type:id, and quoted values keep spaces", () => {
    const p = parseAuditQuery('subject:approval:abc subject:u2 actor:"Jane Doe"', now);
    expect(p.subjects).toEqual([
      { type: "approval", id: "abc" },
      { type: null, id: "u2" },
    ]);
    expect(p.actors).toEqual(["Jane Doe"]);
  });

  it("names the failing token, suggests a known key for a typo", () => {
    const e = failure("action:run.* acion:tool.called");
    expect(e.token).toBe("acion:tool.called");
    expect(e.suggestion).toBe("action");
    expect(e.message).toMatch(/did you mean action:/);
    expect(suggestKey("zzzzzz")).toBeNull();
  });

  it("refuses since after until, bad times, short run prefixes, empty values and unclosed quotes", () => {
    expect(failure("since:2026-11-30 until:2026-11-01").message).toMatch(/since .* is after until/);
    expect(failure("since:yesterday").token).toBe("since:yesterday");
    expect(failure("run:3f").token).toBe("run:3f");
    expect(failure("job:").token).toBe("job:");
    expect(failure('"open').token).toBe('"open');
    expect(failure("action:run.*.x").token).toBe("action:run.*.x");
  });
});

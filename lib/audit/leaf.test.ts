import { createHash, createHmac, randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical";
import { canonicalParts, eventMac, leafFromParts, leafString, macMatches } from "./leaf";
import { leafHash, nodeHash } from "./merkle";
import type { AuditEventContent } from "./types";

// Any UTF-16 code unit, so escapes, non-ASCII and lone surrogates turn up.
const text = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) });
const content: fc.Arbitrary<AuditEventContent> = fc.record({
  ts: fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString()),
  actor: fc.record({
    kind: fc.constantFrom("user" as const, "system" as const, "run" as const, "token" as const),
    id: fc.option(text, { nil: null }),
    label: text,
  }),
  action: text,
  subject: fc.record({ type: text, id: fc.option(text, { nil: null }) }),
  authorization: fc.dictionary(text, fc.jsonValue({ maxDepth: 2 })),
  payload: fc.dictionary(text, fc.jsonValue({ maxDepth: 3 })),
});

describe("leaf and MAC strings assembled from parts", () => {
  it("are canonicalJson of the whole object, byte for byte", () => {
    fc.assert(
      fc.property(content, fc.integer({ min: 1, max: 2 ** 40 }), text, (c, seq, nonce) => {
        const whole = { ...c, actor: { ...c.actor }, subject: { ...c.subject } };
        expect(leafString(seq, c)).toBe(canonicalJson({ ...whole, seq }));
        expect(leafFromParts(seq, canonicalParts(c))).toBe(canonicalJson({ ...whole, seq }));
        const key = Buffer.alloc(32, 7);
        const mac = createHmac("sha256", key)
          .update(canonicalJson({ ...whole, nonce }))
          .digest("base64");
        expect(eventMac(key, nonce, c)).toBe(mac);
        expect(macMatches(key, nonce, mac, canonicalParts(c))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("refuse a MAC that differs in one byte, has the wrong length or is missing", () => {
    const key = randomBytes(32);
    const c: AuditEventContent = {
      ts: "2026-12-06T00:00:00.000Z",
      actor: { kind: "system", id: null, label: "sealer" },
      action: "x",
      subject: { type: "run", id: "r" },
      authorization: {},
      payload: {},
    };
    const good = Buffer.from(eventMac(key, "n", c), "base64");
    const flipped = Buffer.from(good);
    flipped[31] = (flipped[31] ?? 0) ^ 1;
    expect(macMatches(key, "n", good.toString("base64"), c)).toBe(true);
    // Another spelling of the same bytes (no padding) still matches, as it did when both sides were decoded.
    expect(macMatches(key, "n", good.toString("base64").replace(/=+$/, ""), c)).toBe(true);
    expect(macMatches(key, "n", flipped.toString("base64"), c)).toBe(false);
    expect(macMatches(key, "n", good.subarray(0, 31).toString("base64"), c)).toBe(false);
    expect(macMatches(key, "m", good.toString("base64"), c)).toBe(false);
    expect(macMatches(key, null, good.toString("base64"), c)).toBe(false);
    expect(macMatches(key, "n", null, c)).toBe(false);
  });
});

describe("leafHash and nodeHash", () => {
  it("are SHA-256 over 0x00 ‖ leaf and 0x01 ‖ left ‖ right (RFC 9162)", () => {
    fc.assert(
      fc.property(text, fc.uint8Array({ minLength: 0, maxLength: 64 }), (leaf, bytes) => {
        const sha = (...parts: (string | Uint8Array)[]) => {
          const h = createHash("sha256");
          for (const p of parts) h.update(p);
          return h.digest();
        };
        expect(leafHash(leaf).equals(sha(Buffer.from([0]), leaf))).toBe(true);
        expect(leafHash(bytes).equals(sha(Buffer.from([0]), bytes))).toBe(true);
        const left = sha(leaf);
        const right = sha(bytes);
        expect(nodeHash(left, right).equals(sha(Buffer.from([1]), left, right))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

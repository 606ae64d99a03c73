import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { sealBatch, appendAudit, listAuditEvents, verifyAuditChain } from "@/lib/audit";
import { redact } from "@/lib/redaction";
import { CanonicalJsonError, canonicalJson, toJsonObject, toJsonValue } from "./canonical";

function shuffledKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v, i) => shuffledKeys(v, seed + i));
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value);
  // deterministic reversal/rotation is enough to change insertion order
  const rotated = entries
    .slice(seed % Math.max(1, entries.length))
    .concat(entries.slice(0, seed % Math.max(1, entries.length)));
  return Object.fromEntries(
    (seed % 2 === 0 ? rotated.reverse() : rotated).map(([k, v]) => [k, shuffledKeys(v, seed + 1)]),
  );
}

// Any UTF-16 code unit, so lone surrogates and NUL turn up.
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const hostileJson = fc.jsonValue({ stringUnit: codeUnit, maxDepth: 4 });
const edgeNumbers = fc.constantFrom(
  -0,
  0,
  1e21,
  1e-7,
  5e-324,
  1.7976931348623157e308,
  2 ** 53 + 2,
  -123.456,
  0.1 + 0.2,
);

describe("canonicalJson", () => {
  it("writes sorted keys without whitespace", () => {
    expect(canonicalJson({ b: 1, a: [true, null, "x"], c: { z: {}, y: [] } })).toBe(
      '{"a":[true,null,"x"],"b":1,"c":{"y":[],"z":{}}}',
    );
  });

  it("does not depend on key insertion order", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), fc.nat(), (value, seed) => {
        expect(canonicalJson(shuffledKeys(value, seed))).toBe(canonicalJson(value));
      }),
    );
  });

  it("is JSON that parses back to the same canonical form", () => {
    fc.assert(
      fc.property(hostileJson, (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
    );
  });

  it("refuses what is not plain JSON instead of guessing", () => {
    expect(() => canonicalJson({ a: undefined })).toThrow(CanonicalJsonError);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function is not JSON at \.f/);
    expect(() => canonicalJson({ n: 10n })).toThrow(/bigint/);
    expect(() => canonicalJson([Number.NaN])).toThrow(/non-finite/);
    expect(() => canonicalJson(new Date())).toThrow(/plain object/);
    const cyclic: Record<string, unknown> = {};
    cyclic.me = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/circular/);
  });
});

/** RFC 8785 written as plainly as possible, to hold the fast writer to. */
function reference(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(reference).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${reference(record[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

function nested(depth: number, leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i += 1) value = i % 2 === 0 ? { [`k${i}`]: value, a: i } : [i, value];
  return value;
}

describe("canonicalJson byte for byte (fast writer and exact writer)", () => {
  it("matches a plain RFC 8785 reference on hostile strings, keys and numbers", () => {
    const keyed = fc.dictionary(fc.string({ unit: codeUnit, maxLength: 6 }), fc.oneof(hostileJson, edgeNumbers), {
      maxKeys: 24,
    });
    fc.assert(
      fc.property(fc.oneof(hostileJson, keyed, fc.array(keyed, { maxLength: 4 })), (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 500 },
    );
  });

  it("sorts integer-like keys as strings, not in the engine's index order", () => {
    expect(canonicalJson({ 10: "a", 9: "b", 1: "c", b: 1, "": 0 })).toBe('{"":0,"1":"c","10":"a","9":"b","b":1}');
  });

  it("sorts by UTF-16 code units: a supplementary character before U+FFFF", () => {
    const value = { "\uffff": 1, "\ud83d\ude00": 2, "\u00e9": 3, e: 4 };
    expect(canonicalJson(value)).toBe('{"e":4,"\u00e9":3,"\ud83d\ude00":2,"\uffff":1}');
  });

  it("writes deep values (past the fast writer's depth) and names errors at any depth", () => {
    for (const depth of [31, 32, 33, 80]) expect(canonicalJson(nested(depth, "x"))).toBe(reference(nested(depth, "x")));
    expect(() => canonicalJson(nested(40, Number.NaN))).toThrow(/non-finite number at \[1\]/);
    const deep: Record<string, unknown> = {};
    let at = deep;
    for (let i = 0; i < 40; i += 1) at = (at.next = {}) as Record<string, unknown>;
    at.back = deep;
    expect(() => canonicalJson(deep)).toThrow(/circular/);
  });

  it("stays exact once its quote cache has turned over", () => {
    for (let i = 0; i < 10_000; i += 1) {
      const value = { [`key-${i}`]: `value "${i}"\n`, n: i / 7 };
      expect(canonicalJson(value)).toBe(reference(value));
    }
  });
});

describe("toJsonValue", () => {
  it("normalises like JSON.stringify and makes the rest storable", () => {
    expect(
      toJsonValue({
        u: undefined,
        f: () => 1,
        list: [undefined, () => 1, Number.POSITIVE_INFINITY],
        big: 12345678901234567890n,
        when: new Date("2024-01-02T03:04:05.006Z"),
        negZero: -0,
        nul: "a\u0000b",
        lone: "x\uD800y",
        pair: "\uD83D\uDE00",
      }),
    ).toEqual({
      list: [null, null, null],
      big: "12345678901234567890",
      when: "2024-01-02T03:04:05.006Z",
      negZero: 0,
      nul: "a\uFFFDb",
      lone: "x\uFFFDy",
      pair: "\uD83D\uDE00",
    });
    expect(Object.is((toJsonValue({ z: -0 }) as { z: number }).z, 0)).toBe(true);
  });

  it("keeps a __proto__ key as data", () => {
    const value = toJsonObject(JSON.parse('{"__proto__":{"polluted":true},"a":1}'));
    expect(Object.keys(value)).toEqual(["__proto__", "a"]);
    expect(canonicalJson(value)).toBe('{"__proto__":{"polluted":true},"a":1}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("is idempotent", () => {
    fc.assert(
      fc.property(hostileJson, (v) => {
        expect(toJsonValue(toJsonValue(v))).toEqual(toJsonValue(v));
      }),
    );
  });
});

describe("jsonb round trip", () => {
  let handle: TestDatabase;
  beforeAll(async () => {
    handle = await createTestDatabase();
  });
  afterAll(async () => {
    await handle.drop();
  });

  it("hashes survive storage: what is read back has the canonical form that was hashed", async () => {
    const payloads = fc.sample(
      fc.record({ doc: hostileJson, n: edgeNumbers, keys: fc.dictionary(fc.string({ unit: codeUnit }), fc.integer()) }),
      { numRuns: 150, seed: 42 },
    );
    payloads.push({ doc: { "": 1, é: 2, e: 3, aa: 4, b: 5, "\uD83D\uDE00": 6 }, n: -0, keys: { __proto__: 1 } });
    const written: string[] = [];
    for (const payload of payloads) {
      await handle.db.transaction(async (tx) => {
        await appendAudit(tx, {
          actor: { kind: "system", id: null, label: "fuzz \u0000 actor" },
          action: "test.roundtrip",
          subject: { type: "probe", id: "x\uDC00" },
          authorization: { via: "test", nested: { b: 1, a: 2 } },
          payload,
        });
      });
      written.push(canonicalJson(toJsonObject(redact(payload))));
    }
    const page = await listAuditEvents(handle.db, { limit: 1000 });
    const readBack = page.events.reverse().map((e) => canonicalJson(e.payload));
    expect(readBack).toEqual(written);
    // MACs computed before storage verify on what comes back, and the leaves seal.
    expect(await verifyAuditChain(handle.db, { batchSize: 37, anchorDir: null })).toMatchObject({
      ok: true,
      unsealed: payloads.length,
      badUnsealedIds: [],
    });
    expect(await sealBatch(handle.db)).toMatchObject({ sealed: payloads.length, rejected: 0 });
    expect(await verifyAuditChain(handle.db, { batchSize: 37, anchorDir: null })).toMatchObject({
      ok: true,
      checked: payloads.length,
      firstBadSeq: null,
      problem: null,
    });
  });
});

import { describe, expect, it } from "vitest";
import { describeChange } from "./describe-change";

describe("describeChange", () => {
  it("reads a write as field changes", () => {
    expect(describeChange(null, { a: 1 })).toEqual(["created it"]);
    expect(describeChange({ a: 1 }, null)).toEqual(["deleted it"]);
    expect(describeChange({ priority: "low", note: "x" }, { priority: "high", tag: 2 })).toEqual([
      'set priority "high"',
      "added tag 2",
      "removed note",
    ]);
    expect(describeChange({ a: 1 }, { a: 1 })).toEqual(["no change"]);
    expect(describeChange([1], [2])).toEqual(["set it to [2]"]);
  });
});

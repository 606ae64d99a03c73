import { describe, expect, it } from "vitest";
import { csvCell, csvRow } from "./csv";

describe("CSV cells (RFC 4180)", () => {
  it("quotes what needs it and keeps numbers as numbers, negative ones included", () => {
    expect(csvRow(["a,b", 'say "hi"', "line\nbreak", -5, 42, null])).toBe(
      '"a,b","say ""hi""","line\nbreak",-5,42,\r\n',
    );
  });

  it("never lets a spreadsheet evaluate a text cell as a formula", () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell("-1+2")).toBe(`"'-1+2"`);
    expect(csvCell("@sum")).toBe(`"'@sum"`);
  });
});

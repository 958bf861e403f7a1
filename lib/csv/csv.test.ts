import { describe, expect, it } from "vitest";
import { csvField, csvRow, csvStream } from "./csv";

describe("CSV export", () => {
  it("quotes every field and doubles quotes; commas and newlines stay inside the field", () => {
    expect(csvRow(["a,b", 'say "hi"', "line1\nline2", null, 3])).toBe('"a,b","say ""hi""","line1\nline2","","3"\r\n');
  });

  it("neutralises cells a spreadsheet would run as a formula (= + - @ tab CR)", () => {
    for (const evil of ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]) {
      expect(csvField(evil).startsWith(`"'`)).toBe(true);
    }
    expect(csvField("plain")).toBe('"plain"');
    expect(csvField(new Date("2026-11-22T10:00:00Z"))).toBe('"2026-11-22T10:00:00.000Z"');
  });

  it("streams the header and then each page", async () => {
    async function* pages() {
      yield [["1", "a"]];
      yield [
        ["2", "b"],
        ["3", "c"],
      ];
    }
    const bytes = await new Response(csvStream(["id", "name"], pages())).arrayBuffer();
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    expect(text).toBe('\uFEFF"id","name"\r\n"1","a"\r\n"2","b"\r\n"3","c"\r\n');
  });
});

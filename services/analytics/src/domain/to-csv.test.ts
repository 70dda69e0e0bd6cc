import { describe, expect, it } from "vitest";
import { toCsv } from "./to-csv.js";

describe("CSV export", () => {
  it.each([
    [[{ a: 1, b: "x" }], "a,b\r\n1,x\r\n"],
    [[{ name: 'say "hi", ok' }], 'name\r\n"say ""hi"", ok"\r\n'],
    [[{ name: "=HYPERLINK(1)" }], "name\r\n'=HYPERLINK(1)\r\n"],
    [[{ net: -5 }], "net\r\n-5\r\n"],
    [
      [
        { who: "m1", kpis: { rating: 4.5 } },
        { who: "m2", kpis: {} },
      ],
      "who,kpis.rating\r\nm1,4.5\r\nm2,\r\n",
    ],
    [[], "\r\n"],
  ])("when rows %j are exported, then the CSV is exact", (rows, csv) => {
    expect(toCsv(rows)).toBe(csv);
  });
});

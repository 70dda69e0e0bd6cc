import { describe, expect, it } from "vitest";
import type { CashFlowReport } from "../domain/cash-flow.js";
import { reportPage } from "./report-page.js";

const cash: CashFlowReport = {
  report: "cash-flow",
  from: "2026-12-01",
  to: "2026-12-03",
  granularity: "day",
  currency: "RUB",
  rows: [
    { period: "2026-12-01", inflow: 100, outflow: 0, net: 100, payments: 1, refunds: 0 },
    { period: "2026-12-02", inflow: 50, outflow: 20, net: 30, payments: 1, refunds: 1 },
    { period: "2026-12-03", inflow: 0, outflow: 0, net: 0, payments: 0, refunds: 0 },
  ],
  totals: { inflow: 150, outflow: 20, net: 130, payments: 2, refunds: 1 },
  otherCurrencies: [],
};

describe("the report page", () => {
  const page = reportPage({
    cash,
    plans: [
      {
        planId: "q4",
        title: "Q4 <income>",
        metric: "income",
        period: "2026-Q4",
        from: "2026-10-01",
        to: "2026-12-31",
        currency: "RUB",
        target: 1000,
        fact: 130,
        progress: 0.13,
        expectedByNow: 0.7,
        pace: "behind",
      },
    ],
    forecast: "No forecast yet: not enough history.",
  });

  it("when rendered, then every chart is an image labelled by its title and description", () => {
    const svgs = page.match(/<svg [^>]*>/g) ?? [];
    expect(svgs).toHaveLength(2);
    for (const svg of svgs) {
      const [, ids] = /aria-labelledby="([^"]+)"/.exec(svg)!;
      expect(svg).toContain('role="img"');
      for (const id of ids!.split(" ")) expect(page).toContain(`id="${id}"`);
    }
    expect(page).toContain('<html lang="en">');
    expect(page).toContain(
      '<title id="cash-title">Cash flow by day, 2026-12-01 to 2026-12-03 (RUB)</title>',
    );
  });

  it("when rendered, then each chart's figures are also in a table, and text is escaped", () => {
    expect(page).toContain("<caption>Cash flow</caption>");
    expect(page).toContain("<td>2026-12-02</td><td>50</td><td>20</td><td>30</td>");
    expect(page).toContain("Q4 &lt;income&gt;");
    expect(page).not.toContain("Q4 <income>");
    expect(page).toContain("No forecast yet: not enough history.");
  });
});

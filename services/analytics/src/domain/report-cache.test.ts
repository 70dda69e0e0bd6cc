import { describe, expect, it } from "vitest";
import { AnalyticsState } from "./analytics-state.js";
import { parseDay } from "./calendar.js";
import { cashFlow } from "./cash-flow.js";
import { cachedReport } from "./report-cache.js";

const window = {
  from: parseDay("2026-12-01")!,
  to: parseDay("2026-12-01")!,
  granularity: "day" as const,
  currency: "RUB",
};
const pay = (key: string, minor: number) => ({
  kind: "payment" as const,
  paymentKey: key,
  direction: "in" as const,
  amount: { minor, currency: "RUB" },
  at: Date.parse("2026-12-01T10:00:00Z"),
});

describe("the report cache", () => {
  it("when nothing it reads has changed (a KPI arrived), then the report is the one computed before; when a payment arrives, it is computed again", () => {
    const state = new AnalyticsState();
    state.apply(pay("p1", 1_000));
    const ask = () => cachedReport(state, "cash", ["money"], () => cashFlow(state, window));
    const first = ask();
    expect(ask()).toBe(first);
    state.apply({ kind: "kpi", managerId: "m1", values: { "tasks.done": 1 }, at: 0 });
    expect(ask()).toBe(first);
    state.apply(pay("p2", 500));
    expect(ask().totals.inflow).toBe(15);
    expect(first.totals.inflow).toBe(10);
  });

  it("when another state (a rebuild) is asked, then it has its own answers", () => {
    const [a, b] = [new AnalyticsState(), new AnalyticsState()];
    a.apply(pay("p1", 1_000));
    expect(cachedReport(a, "cash", ["money"], () => cashFlow(a, window)).totals.inflow).toBe(10);
    expect(cachedReport(b, "cash", ["money"], () => cashFlow(b, window)).totals.inflow).toBe(0);
  });
});

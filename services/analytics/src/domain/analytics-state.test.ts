import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../../dev/datasets/identity-dataset.js";
import { salesDataset, type BusEvent } from "../../../../dev/datasets/sales-dataset.js";
import type { AnalyticsState } from "./analytics-state.js";
import { parseDay } from "./calendar.js";
import { cashFlow } from "./cash-flow.js";
import { dealsByChannel } from "./deals-by-channel.js";
import { foldEvents } from "./fold-events.js";
import { funnel } from "./funnel.js";
import { teamPerformance } from "./team-performance.js";

const options = {
  seed: 42,
  start: "2026-01-05",
  days: 120,
  ordersPerDay: 12,
  customers: 400,
  currency: "RUB",
};
const window = {
  from: parseDay("2026-01-05")!,
  to: parseDay("2026-05-04")!,
  granularity: "day" as const,
  currency: "RUB",
};
const now = Date.parse("2026-05-05T00:00:00Z");

function fold(events: readonly BusEvent[]): AnalyticsState {
  return foldEvents(events, now);
}

function reports(state: AnalyticsState) {
  return {
    daily: cashFlow(state, window),
    monthly: cashFlow(state, { ...window, granularity: "month" }),
    weekly: cashFlow(state, { ...window, granularity: "week" }),
    channels: dealsByChannel(state, window),
    funnel: funnel(state, window),
    team: teamPerformance(state, window, now),
  };
}

function shuffled<T>(list: readonly T[], seed: number): T[] {
  const random = seededRandom(seed);
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

describe("the running aggregates", () => {
  const { events, truth } = salesDataset(options);
  const history = [...events];
  const inOrder = reports(fold(history));

  it("when a company's history is folded, then the cash flow per day is its ledger, each payment counted once though told twice", () => {
    expect(truth.paidOrders).toBeGreaterThan(500);
    expect(truth.refunds).toBeGreaterThan(5);
    for (const row of inOrder.daily.rows)
      expect(Math.round(row.net * 100), row.period).toBe(truth.netMinorByDay.get(row.period) ?? 0);
    expect(inOrder.daily.totals.payments).toBe(truth.paidOrders);
    expect(inOrder.daily.totals.refunds).toBe(truth.refunds);
    expect(inOrder.monthly.totals).toEqual(inOrder.daily.totals);
    expect(inOrder.weekly.totals).toEqual(inOrder.daily.totals);
  });

  it.each([1, 2, 3])(
    "when the same events come in another order (shuffle %i), then every report is the same",
    (seed) => {
      expect(reports(fold(shuffled(history, seed)))).toEqual(inOrder);
    },
  );

  it("when every event is applied twice, then nothing counted by entity changes", () => {
    const twice = reports(fold([...history, ...history]));
    expect(twice.daily).toEqual(inOrder.daily);
    expect(twice.channels).toEqual(inOrder.channels);
    expect(twice.funnel).toEqual(inOrder.funnel);
  });

  it("when deals are attributed, then every order counts once under the channel of its customer's first touchpoint", () => {
    const total = inOrder.channels.rows.reduce((sum, row) => sum + row.orders, 0);
    expect(total).toBe(truth.orders);
    expect(inOrder.channels.rows.map((r) => r.channel)).not.toContain("unknown");
  });

  it("when the funnel is drawn, then each stage holds no more people than the one before", () => {
    const counts = inOrder.funnel.rows.map((row) => row.people);
    expect(counts[0]).toBe(options.customers);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeLessThanOrEqual(counts[i - 1]!);
    expect(counts.at(-1)).toBeGreaterThan(0);
  });
});

import { describe, expect, it } from "vitest";
import { summarisePayouts, type Movement } from "./payouts.js";

const payment = (
  partnerId: string,
  gross: number,
  commission: number,
  currency = "RUB",
): Movement => ({
  id: `payment:${partnerId}:${gross}`,
  kind: "payment",
  partnerId,
  orderId: "o",
  currency,
  grossMinor: gross,
  commissionMinor: commission,
  at: "2026-12-01T10:00:00.000Z",
});
const refund = (partnerId: string, gross: number, commission: number): Movement => ({
  ...payment(partnerId, -gross, -commission),
  id: `refund:${partnerId}:${gross}`,
  kind: "refund",
});

describe("payouts per partner", () => {
  it.each([
    ["no movements", [], []],
    [
      "two payments of one partner",
      [payment("uk-green", 45_000, 2_250), payment("uk-green", 90_000, 4_500)],
      [
        {
          partnerId: "uk-green",
          currency: "RUB",
          payments: 2,
          refunds: 0,
          gross: 1350,
          commission: 67.5,
          payout: 1282.5,
        },
      ],
    ],
    [
      "a payment and its partial refund (the commission share goes back)",
      [payment("swift", 35_000, 5_250), refund("swift", 10_000, 1_500)],
      [
        {
          partnerId: "swift",
          currency: "RUB",
          payments: 1,
          refunds: 1,
          gross: 250,
          commission: 37.5,
          payout: 212.5,
        },
      ],
    ],
    [
      "two partners and two currencies, sorted by partner",
      [payment("swift", 100, 10, "EUR"), payment("a-team", 200, 20), payment("swift", 300, 30)],
      [
        {
          partnerId: "a-team",
          currency: "RUB",
          payments: 1,
          refunds: 0,
          gross: 2,
          commission: 0.2,
          payout: 1.8,
        },
        {
          partnerId: "swift",
          currency: "EUR",
          payments: 1,
          refunds: 0,
          gross: 1,
          commission: 0.1,
          payout: 0.9,
        },
        {
          partnerId: "swift",
          currency: "RUB",
          payments: 1,
          refunds: 0,
          gross: 3,
          commission: 0.3,
          payout: 2.7,
        },
      ],
    ],
  ])("when the period holds %s, then the report says so", (_what, movements, expected) => {
    expect(summarisePayouts(movements)).toEqual(expected);
  });
});

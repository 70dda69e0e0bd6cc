// Money crosses every boundary (API, events) as a decimal amount in major units with at
// most two decimals plus an ISO 4217 code; inside, arithmetic runs on integer minor units
// (kopecks, cents), so commissions and payouts add up to the last kopeck.

// The shapes are the contract with the partner cabinet (@symbiont/contracts).
export { amountSchema, currencySchema, moneySchema, type Money } from "@symbiont/contracts";

export function toMinor(amount: number): number {
  return Math.round(amount * 100);
}

export function fromMinor(minor: number): number {
  return Math.round(minor) / 100;
}

/** "1 500.00 RUB" for messages people read. */
export function formatMoney(minor: number, currency: string): string {
  return `${fromMinor(minor).toFixed(2)} ${currency}`;
}

/** `part` of `minor`, rounded half away from zero (a commission, a refund's share). */
export function shareOf(minor: number, numerator: number, denominator: number): number {
  if (denominator === 0) return 0;
  const exact = (minor * numerator) / denominator;
  return Math.sign(exact) * Math.round(Math.abs(exact));
}

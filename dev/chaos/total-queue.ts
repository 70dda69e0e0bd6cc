// The total-queue check of one scenario, from what the partner took in (in arrival order):
// a receipt is "applied" the first time its Idempotency-Key arrives (the partner dedupes
// later ones). Delivered: distinct messages applied; applied twice: applications beyond the
// first of one message (it came under a second key: the partner's dedupe cannot catch it);
// redelivered: receipts of a key already applied; reordered: applications of a message after
// a higher-numbered one.

export interface Receipt {
  /** The message's number in the stream. */
  n: number;
  /** The key came before (the partner did not apply it again). */
  duplicate: boolean;
}

export interface QueueCheck {
  delivered: number;
  lost: number;
  duplicated: number;
  redelivered: number;
  reordered: number;
}

export function checkQueue(sent: number, receipts: readonly Receipt[]): QueueCheck {
  const applied = receipts.filter((receipt) => !receipt.duplicate).map((receipt) => receipt.n);
  const delivered = new Set(applied).size;
  let highest = Number.NEGATIVE_INFINITY;
  let reordered = 0;
  for (const n of applied) {
    if (n < highest) reordered += 1;
    highest = Math.max(highest, n);
  }
  return {
    delivered,
    lost: sent - delivered,
    duplicated: applied.length - delivered,
    redelivered: receipts.length - applied.length,
    reordered,
  };
}

import type { Ledger, NewEntry } from "../domain/ledger.js";
import type { LedgerEntry } from "../domain/ledger-entry.js";

/** A message for partner `sms` on topic `t`, as the ledger's unit tests accept them. */
export function smsMessage(id: string, payload = JSON.stringify({ id })): NewEntry {
  return {
    messageId: id,
    kind: "partner",
    target: "sms",
    topic: "t",
    pubsub: "c",
    state: "accepted",
    payload,
  };
}

/** Accepts one `smsMessage`; throws when the ledger takes it for a duplicate. */
export async function acceptOne(
  ledger: Ledger,
  id: string,
  payload?: string,
): Promise<LedgerEntry> {
  const [entry] = await ledger.accept([smsMessage(id, payload)]);
  if (entry === undefined || entry === "duplicate") throw new Error(`${id} not accepted`);
  return entry;
}

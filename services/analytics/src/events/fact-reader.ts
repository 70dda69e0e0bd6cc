import { parseInput } from "@symbiont/service-kit";
import { z } from "zod";
import type { Fact, Money } from "../domain/fact.js";

// How a consumed topic's payload becomes facts. Readers are tolerant (fields they do not use
// are ignored) but refuse what they need and cannot read, naming the field
// (`event.order.total.amount: ...`): such an event goes to the dead letters with that reason.

export interface ReadContext {
  eventId: string;
  /** When the event was first received: the time of a fact whose payload carries none. */
  receivedAt: number;
  /** Country code for national phone numbers, as CRM's CRM_DEFAULT_COUNTRY_CODE. */
  defaultCountryCode: string;
}

export type FactReader = (data: unknown, context: ReadContext) => Fact[];

/** A reader that validates with `schema`, then maps the parsed payload. */
export function reader<Schema extends z.ZodType>(
  schema: Schema,
  map: (data: z.output<Schema>, context: ReadContext) => Fact[],
): FactReader {
  return (data, context) => map(parseInput(schema, data, "event"), context);
}

export const entityId = z.string().min(1).max(128);
export const time = z.iso.datetime({ offset: true });

/** Money as the marketplace and the acquirer write it: `amount` in major units, `currency`. */
export function toMoney(money: { amount: number; currency: string }): Money {
  return { minor: Math.round(money.amount * 100), currency: money.currency };
}

/** The first time given, else the time the event was received. */
export function timeOf(context: ReadContext, ...candidates: Array<string | undefined>): number {
  for (const candidate of candidates) if (candidate !== undefined) return Date.parse(candidate);
  return context.receivedAt;
}

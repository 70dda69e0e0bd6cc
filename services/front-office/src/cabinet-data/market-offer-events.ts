import { z } from "zod";
import type { RecordStore, RecordUpdate, StoredRecord } from "./record-store.js";

// The marketplace's offers as the `marketplace-offers-out` route exports them
// (docs/module-contract.md, "marketplace"): a tolerant reader of what the user cabinet shows
// and orders from. Every field of an offer can change, so all of it is state at the offer's
// version: a late, older event never brings back an old price.

export const marketOfferChangedTopic = "marketplace.offer.changed";

const text = (max: number) => z.string().max(max);

export const marketOfferChangedSchema = z.object({
  change: z.string().min(1).max(32),
  offer: z.object({
    id: z.uuid(),
    partnerId: z.string().min(1).max(128),
    title: text(200),
    description: text(5_000).default(""),
    category: text(128),
    unit: text(128),
    price: z.object({
      amount: z.number().nonnegative(),
      currency: z.string().regex(/^[A-Z]{3}$/),
    }),
    sla: z
      .object({ responseHours: z.number().int(), completionHours: z.number().int() })
      .optional(),
    status: z.string().min(1).max(32),
    version: z.number().int().min(1),
  }),
});

/** An offer people can order from, as the cabinet keeps it. */
export interface MarketOffer {
  offerId: string;
  partnerId: string;
  title: string;
  description: string;
  category: string;
  unit: string;
  price: { amount: number; currency: string };
  status: string;
  /** The offer's version: a partner's edit names the one it changed. */
  version: number;
  sla?: { responseHours: number; completionHours: number };
}

export function marketOfferRecord(data: z.output<typeof marketOfferChangedSchema>): RecordUpdate {
  const { id, partnerId, ...state } = data.offer;
  return {
    kind: "market-offer",
    id,
    owners: [`partner:${partnerId}`],
    facts: { partnerId },
    state,
    version: state.version,
  };
}

/** A stored offer back as the cabinet shows it; undefined when its state never arrived. */
export function toMarketOffer(record: StoredRecord): MarketOffer | undefined {
  const state = record.state as Partial<MarketOffer>;
  if (typeof state.title !== "string" || !state.price) return undefined;
  return {
    offerId: record.id,
    partnerId: String(record.facts.partnerId ?? ""),
    title: state.title,
    description: state.description ?? "",
    category: state.category ?? "",
    unit: state.unit ?? "",
    price: state.price,
    status: state.status ?? "active",
    version: state.version ?? 1,
    ...(state.sla ? { sla: state.sla } : {}),
  };
}

/** The offer `offerId` names, as the cabinet last heard of it (undefined: not an offer id, or never heard of). */
export async function findMarketOffer(
  records: RecordStore,
  offerId: unknown,
): Promise<MarketOffer | undefined> {
  if (!z.uuid().safeParse(offerId).success) return undefined;
  const record = await records.find("market-offer", offerId as string);
  return record ? toMarketOffer(record) : undefined;
}

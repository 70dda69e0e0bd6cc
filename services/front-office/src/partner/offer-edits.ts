import {
  offerTermsSchema,
  partnerOfferUpsertSchema,
  partnerOfferWithdrawSchema,
  partnerUpdatedTopic,
  type OfferTerms,
  type PartnerOfferUpsert,
  type PartnerOfferWithdraw,
} from "@symbiont/contracts";
import type { OutgoingEvent } from "@symbiont/service-kit";
import type { MarketOffer } from "../cabinet-data/market-offer-events.js";

// A marketplace partner writes its offers from the cabinet (MISSION F4): a new one, new terms
// for one of its own, or withdrawing one. The cabinet checks the terms with the marketplace's
// own schema (@symbiont/contracts) and publishes `marketplace.partner.updated` (actions
// `offer.upsert`, `offer.withdraw`); the route `marketplace-partner-updates-in` carries it
// into the core, where the marketplace checks it against its rulebook as in its partner API.
// The offer as the marketplace then has it comes back as `marketplace.offer.changed`.

/** The form's fields, as the offer page names them. */
export const offerFormFields = [
  "title",
  "description",
  "category",
  "unit",
  "amount",
  "currency",
  "responseHours",
  "completionHours",
] as const;
export type OfferFormField = (typeof offerFormFields)[number];
export type OfferForm = Partial<Record<OfferFormField | "offerId" | "version", unknown>>;

export type OfferEdit =
  | { ok: true; event: OutgoingEvent<PartnerOfferUpsert> }
  | { ok: false; status: 400 | 404 | 409; field?: OfferFormField; message: string };

/** The form's labels, and the names its refusals give the fields. */
export const labels: Record<OfferFormField, string> = {
  title: "Title",
  description: "Description",
  category: "Category",
  unit: "Unit",
  amount: "Price per unit",
  currency: "Currency",
  responseHours: "Answer a paid order within (hours)",
  completionHours: "Complete an accepted order within (hours)",
};

/** Where a field of the terms is on the form. */
const formFieldOf: Record<string, OfferFormField> = {
  title: "title",
  description: "description",
  category: "category",
  unit: "unit",
  "price.amount": "amount",
  "price.currency": "currency",
  "sla.responseHours": "responseHours",
  "sla.completionHours": "completionHours",
};

const text = (value: unknown) => (typeof value === "string" ? value.trim() : "");
/** A number typed in a form field; NaN when it is not one (the schema then names the field). */
const number = (value: unknown) => {
  const typed = text(value);
  return /^\d+(\.\d+)?$/.test(typed) ? Number(typed) : Number.NaN;
};

/** The terms a form describes, or the first field that is wrong. */
export function offerTermsOf(
  form: OfferForm,
): { ok: true; terms: OfferTerms } | { ok: false; field: OfferFormField; message: string } {
  const parsed = offerTermsSchema.safeParse({
    title: text(form.title),
    description: text(form.description),
    category: text(form.category),
    unit: text(form.unit),
    price: { amount: number(form.amount), currency: text(form.currency).toUpperCase() },
    sla: {
      responseHours: number(form.responseHours),
      completionHours: number(form.completionHours),
    },
  });
  if (parsed.success) return { ok: true, terms: parsed.data };
  const issue = parsed.error.issues[0]!;
  const field = formFieldOf[issue.path.join(".")] ?? "title";
  const message = issue.code === "invalid_type" ? "expected a number" : issue.message;
  return { ok: false, field, message: `${labels[field]}: ${message}.` };
}

/**
 * The event that creates the offer `offerId` (chosen when the form was shown) or gives one of
 * the partner's offers new terms. An edit names the version it was made to, so an edit of an
 * offer that has changed since is refused by the marketplace, not lost over the newer one.
 * Its id is the offer and that version: the same form sent twice is one event.
 */
export function requestOfferEdit(input: {
  partnerId: string;
  form: OfferForm;
  /** The partner's offer the form names, as the cabinet last heard of it. */
  current: MarketOffer | undefined;
}): OfferEdit {
  const { form, current } = input;
  const offerId = text(form.offerId);
  if (current && current.partnerId !== input.partnerId)
    return { ok: false, status: 404, message: "This offer is not in your cabinet." };
  const version = text(form.version);
  if (version !== "" && !current)
    return { ok: false, status: 404, message: "This offer is not in your cabinet." };
  if (current && version !== String(current.version))
    return {
      ok: false,
      status: 409,
      message: `This offer has changed since you opened it (now version ${current.version}): check it and save again.`,
    };
  const terms = offerTermsOf(form);
  if (!terms.ok) return { ok: false, status: 400, field: terms.field, message: terms.message };
  const parsed = partnerOfferUpsertSchema.safeParse({
    action: "offer.upsert",
    partnerId: input.partnerId,
    offerId,
    ...(current ? { version: current.version } : {}),
    offer: terms.terms,
  });
  if (!parsed.success)
    return {
      ok: false,
      status: 400,
      message: "This form has expired: open the offer again and save it from there.",
    };
  return {
    ok: true,
    event: {
      id: `${partnerUpdatedTopic}:offer:${offerId}:${current?.version ?? 0}`,
      topic: partnerUpdatedTopic,
      data: parsed.data,
    },
  };
}

/** The event that withdraws one of the partner's offers, or why not (already withdrawn). */
export function requestOfferWithdraw(input: {
  partnerId: string;
  offer: MarketOffer;
}):
  | { ok: true; event: OutgoingEvent<PartnerOfferWithdraw> }
  | { ok: false; status: 404 | 409; message: string } {
  const { offer } = input;
  if (offer.partnerId !== input.partnerId)
    return { ok: false, status: 404, message: "This offer is not in your cabinet." };
  if (offer.status === "withdrawn")
    return { ok: false, status: 409, message: "This offer is withdrawn already." };
  const data = partnerOfferWithdrawSchema.parse({
    action: "offer.withdraw",
    partnerId: input.partnerId,
    offerId: offer.offerId,
  });
  return {
    ok: true,
    event: {
      id: `${partnerUpdatedTopic}:offer:${offer.offerId}:${offer.version}:withdraw`,
      topic: partnerUpdatedTopic,
      data,
    },
  };
}

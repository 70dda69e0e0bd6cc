import { html, page } from "@symbiont/pages";
import type { MarketOffer } from "../cabinet-data/market-offer-events.js";
import type { RefusedRequest } from "../cabinet-data/refusal-events.js";
import type { Session } from "../cabinet/session-store.js";
import { labels, type OfferFormField } from "./offer-edits.js";
import { account, partnerNav, refusalsSection, sites } from "./partner-pages.js";

// A marketplace partner's offers in its cabinet (MISSION F4): the list, and the form that
// creates one or changes its terms.

const price = (offer: MarketOffer) =>
  `${offer.price.amount.toFixed(2)} ${offer.price.currency} per ${offer.unit}`;

export interface OffersPageOptions {
  /** A partner edits its own; a manager reads every partner's. */
  canEdit: boolean;
  /** When the marketplace last sent an offer (undefined: never). */
  asOf: Date | undefined;
  /** What was just sent, to say it shows once the marketplace has it. */
  sent?: "saved" | "withdrawn";
  /** Offer edits and withdrawals the marketplace refused, newest first. */
  refused?: RefusedRequest[];
}

export function partnerOffersPage(
  session: Session,
  offers: MarketOffer[],
  options: OffersPageOptions,
): string {
  const sorted = [...offers].sort(
    (a, b) => a.status.localeCompare(b.status) || a.title.localeCompare(b.title),
  );
  return page({
    title: "Offers",
    site: sites.marketplace,
    nav: partnerNav("marketplace", "/offers"),
    account: account(session),
    body: html`<h1>Offers</h1>
      ${
        options.sent
          ? html`<p class="notice" role="status">
              Sent: the offer is ${options.sent === "saved" ? "saved" : "withdrawn"} once the
              marketplace accepts it; it shows here then. If the marketplace refuses it, the reason
              shows under "Changes the marketplace refused".
            </p>`
          : ""
      }
      <p class="${options.asOf ? "muted" : "notice"}" role="status" data-source="marketplace">
        ${
          options.asOf
            ? `Offers as of ${options.asOf.toISOString().slice(0, 16).replace("T", " ")} UTC.`
            : "No offers have arrived from the marketplace yet."
        }
      </p>
      ${options.canEdit ? html`<p><a class="button" href="/offers/new">New offer</a></p>` : ""}
      ${
        sorted.length === 0
          ? html`<p>No offers yet.</p>`
          : html`<div style="overflow-x:auto">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Offer</th>
                    <th scope="col">Price</th>
                    <th scope="col">Status</th>
                    ${options.canEdit ? "" : html`<th scope="col">Partner</th>`}
                  </tr>
                </thead>
                <tbody>
                  ${sorted.map(
                    (offer) =>
                      html`<tr>
                        <td><a href="/offers/${offer.offerId}">${offer.title}</a></td>
                        <td>${price(offer)}</td>
                        <td>${offer.status}</td>
                        ${options.canEdit ? "" : html`<td>${offer.partnerId}</td>`}
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }
      ${refusalsSection("Changes the marketplace refused", options.refused ?? [], (r) => {
        const title = offers.find((o) => o.offerId === r.offerId)?.title ?? "A new offer";
        return r.request === "offer.withdraw" ? `Withdrawing ${title}` : `New terms of ${title}`;
      })}`,
  });
}

export interface OfferFormOptions {
  /** The offer's id: chosen when a new offer's form is shown, so a resend is one offer. */
  offerId: string;
  /** The offer as the marketplace last published it (absent: a new one). */
  current?: MarketOffer;
  canEdit: boolean;
  /** What the form held when it comes back refused. */
  values?: Partial<Record<OfferFormField, string>>;
  error?: { field?: OfferFormField; message: string };
}

/** The values a form starts with: the offer's terms, or sensible blanks for a new one. */
function initialValues(offer?: MarketOffer): Partial<Record<OfferFormField, string>> {
  if (!offer) return { currency: "RUB", responseHours: "24", completionHours: "72" };
  return {
    title: offer.title,
    description: offer.description,
    category: offer.category,
    unit: offer.unit,
    amount: offer.price.amount.toFixed(2),
    currency: offer.price.currency,
    responseHours: String(offer.sla?.responseHours ?? ""),
    completionHours: String(offer.sla?.completionHours ?? ""),
  };
}

const inputs: Array<{ field: OfferFormField; type: string; hint?: string }> = [
  { field: "title", type: "text" },
  { field: "category", type: "text", hint: "a code such as home-cleaning" },
  { field: "unit", type: "text", hint: "a code such as visit or flat-month" },
  { field: "amount", type: "text" },
  { field: "currency", type: "text" },
  { field: "responseHours", type: "number" },
  { field: "completionHours", type: "number" },
];

export function partnerOfferFormPage(session: Session, options: OfferFormOptions): string {
  const { current } = options;
  const values = options.values ?? initialValues(current);
  const invalid = (field: OfferFormField) =>
    options.error?.field === field ? html`aria-invalid="true" aria-describedby="offer-error"` : "";
  const title = current ? current.title : "New offer";
  return page({
    title,
    site: sites.marketplace,
    nav: partnerNav("marketplace", "/offers"),
    account: account(session),
    body: html`<h1>${title}</h1>
      ${current ? html`<p>Status: ${current.status}, version ${current.version}</p>` : ""}
      ${
        options.error
          ? html`<p class="error" role="alert" id="offer-error">${options.error.message}</p>`
          : ""
      }
      ${
        options.canEdit
          ? html`<form method="post" action="/offers" novalidate>
                <input type="hidden" name="offerId" value="${options.offerId}" />
                <input
                  type="hidden"
                  name="version"
                  value="${current ? String(current.version) : ""}"
                />
                ${inputs.map(
                  ({ field, type, hint }) =>
                    html`<label for="${field}">${labels[field]}${hint ? ` (${hint})` : ""}</label>
                      <input
                        id="${field}"
                        name="${field}"
                        type="${type}"
                        required
                        value="${values[field] ?? ""}"
                        ${invalid(field)}
                      />`,
                )}
                <label for="description">${labels.description}</label>
                <textarea
                  id="description"
                  name="description"
                  maxlength="4000"
                  rows="4"
                  ${invalid("description")}
                >
${values.description ?? ""}</textarea>
                <button type="submit">
                  ${current ? "Save the new terms" : "Publish the offer"}
                </button>
              </form>
              ${
                current && current.status !== "withdrawn"
                  ? html`<form method="post" action="/offers/${current.offerId}/withdraw">
                      <button type="submit">Withdraw the offer</button>
                    </form>`
                  : ""
              }`
          : html`<p class="muted">
              Partners edit their own offers here; the company's managers use the marketplace's
              operator API.
            </p>`
      }
      <p><a href="/offers">Back to the offers</a></p>`,
  });
}

import { html, page, type Html } from "@symbiont/pages";
import type { MarketOffer } from "../cabinet-data/market-offer-events.js";
import type { OrderField } from "./marketplace-order.js";
import type { Session } from "./session-store.js";

// The user cabinet's marketplace (MISSION F3, F4): the partners' offers, as the marketplace
// last published them, and the order form of one offer. The form leaves checking to the
// cabinet (novalidate), so every refusal reads the same: the field named, in words.

const site = "Acme cabinet";
const nav = (current: "cabinet" | "marketplace") => [
  { href: "/", label: "Cabinet", current: current === "cabinet" },
  { href: "/marketplace", label: "Marketplace", current: current === "marketplace" },
];

const price = (offer: MarketOffer) =>
  `${offer.price.amount.toFixed(2)} ${offer.price.currency} per ${offer.unit || "unit"}`;

function signOut(session: Session): Html {
  return html`<form method="post" action="/logout" class="account">
    <span>${session.name ?? session.email ?? "Signed in"}</span>
    <button type="submit">Sign out</button>
  </form>`;
}

/** The active offers, by category then title; `asOf` says when the marketplace last spoke. */
export function marketplacePage(
  session: Session,
  offers: MarketOffer[],
  asOf: Date | undefined,
): string {
  const active = offers
    .filter((offer) => offer.status === "active")
    .sort((a, b) => a.category.localeCompare(b.category) || a.title.localeCompare(b.title));
  return page({
    title: "Marketplace",
    site,
    nav: nav("marketplace"),
    account: signOut(session),
    body: html`<h1>Marketplace</h1>
      <p class="${asOf ? "muted" : "notice"}" role="status" data-source="marketplace">
        ${
          asOf
            ? `Offers of our partners as of ${asOf.toISOString().slice(0, 16).replace("T", " ")} UTC.`
            : "The marketplace has not sent its offers yet. Try again in a minute."
        }
      </p>
      ${active.length === 0 && asOf ? html`<p>No offers right now.</p>` : ""}
      <ul class="cards">
        ${active.map(
          (offer) =>
            html`<li>
              <h2>${offer.title}</h2>
              <p class="muted">${offer.category}</p>
              <p>${offer.description}</p>
              <p><strong>${price(offer)}</strong></p>
              <p>
                <a
                  class="button"
                  href="/marketplace/${offer.offerId}"
                  aria-label="Order ${offer.title}"
                  >Order</a
                >
              </p>
            </li>`,
        )}
      </ul>`,
  });
}

/** One offer and its order form; with a refusal of a first try, its field and message. */
export function marketOrderPage(
  session: Session,
  offer: MarketOffer,
  form: { requestId: string; quantity?: string; note?: string },
  error?: { field?: OrderField; message: string },
): string {
  const invalid = (field: OrderField) =>
    error?.field === field ? html`aria-invalid="true" aria-describedby="order-error"` : "";
  return page({
    title: `Order: ${offer.title}`,
    site,
    nav: nav("marketplace"),
    account: signOut(session),
    body: html`<h1>${offer.title}</h1>
      <p>${offer.description}</p>
      <p><strong>${price(offer)}</strong></p>
      ${error ? html`<p class="error" role="alert" id="order-error">${error.message}</p>` : ""}
      ${
        offer.status === "active"
          ? html`<form method="post" action="/marketplace/orders" novalidate>
              <input type="hidden" name="requestId" value="${form.requestId}" />
              <input type="hidden" name="offerId" value="${offer.offerId}" />
              <label for="quantity">How many (${offer.unit || "units"})</label>
              <input
                id="quantity"
                name="quantity"
                type="number"
                min="1"
                max="100000"
                step="1"
                required
                value="${form.quantity ?? "1"}"
                ${invalid("quantity")}
              />
              <label for="note">A note for the partner (entrance, floor, a good time)</label>
              <textarea id="note" name="note" maxlength="1000" rows="3" ${invalid("note")}>
${form.note ?? ""}</textarea>
              <button type="submit">Send the order</button>
            </form>`
          : html`<p class="notice" role="status">
              This offer is ${offer.status} and cannot be ordered now.
            </p>`
      }
      <p><a href="/marketplace">Back to the marketplace</a></p>`,
  });
}

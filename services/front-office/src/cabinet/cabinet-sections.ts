import { html, type Html } from "@symbiont/pages";
import type { CabinetData, RefusedOrder, Section } from "../cabinet-data/cabinet-data.js";

// The unified cabinet's sections (MISSION F3): orders, documents and offers, each with where
// it comes from and how current it is.

const money = (amount?: number, currency?: string) =>
  amount === undefined ? "" : `${amount.toFixed(2)} ${currency ?? ""}`.trim();
const day = (iso?: string) => (iso ? iso.slice(0, 10) : "");
const statusLabel = (status?: string) => (status ?? "requested").replace(/_/g, " ");
const kilobytes = (size?: number) => (size === undefined ? "" : `${Math.ceil(size / 1024)} KB`);

function freshness(section: Section<unknown>): Html {
  return html`<p
    class="${section.asOf ? "muted" : "notice"}"
    role="status"
    data-source="${section.source}"
  >
    ${section.note}
  </p>`;
}

/** Why an order request was refused, in a customer's words where the kind of refusal is known. */
export function refusedOrderReason(refused: Pick<RefusedOrder, "code" | "reason">): string {
  switch (refused.code) {
    case "OfferUnavailable":
      return "The offer could no longer be ordered when your request arrived.";
    case "UnknownOffer":
      return "The offer is no longer in the marketplace.";
    case "VersionConflict":
      return "This request was sent before with other terms: order again from the offer's page.";
    default:
      return `The marketplace refused it: ${refused.reason}`;
  }
}

function refusedOrders(data: CabinetData): Html {
  if (data.refusedOrders.length === 0) return html``;
  return html`<h3 id="refused-orders-title">Requests the marketplace refused</h3>
    <ul aria-labelledby="refused-orders-title" class="refusals">
      ${data.refusedOrders.map(
        (refused) =>
          html`<li data-request-id="${refused.requestId ?? ""}">
            <strong
              >${refused.title ?? "An offer"}${refused.quantity ? ` × ${refused.quantity}` : ""}</strong
            >
            <span class="muted">(${day(refused.refusedAt)})</span>: ${refusedOrderReason(refused)}
            ${refused.offerId ? html`<a href="/marketplace">See what can be ordered now</a>` : ""}
          </li>`,
      )}
    </ul>`;
}

function empty(section: Section<unknown>, what: string): Html {
  return section.items.length === 0 ? html`<p>${what}</p>` : html``;
}

export function cabinetSections(data: CabinetData): Html {
  const { orders, documents, offers } = data;
  return html`${
      data.linked
        ? ""
        : html`<p class="notice" role="status">
            We have not matched your sign-in with your customer record yet: your orders, documents
            and offers appear here once we have.
          </p>`
    }
    <section aria-labelledby="orders-title">
      <h2 id="orders-title">Your orders</h2>
      ${freshness(orders)}
      ${
        orders.items.length === 0 &&
        data.requestedOrders.length === 0 &&
        data.refusedOrders.length === 0
          ? html`<p>No orders yet.</p>`
          : ""
      }
      ${
        orders.items.length > 0 || data.requestedOrders.length > 0
          ? html`<div style="overflow-x:auto">
              <table>
                <caption class="muted">
                  Orders from our marketplace partners
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Order</th>
                    <th scope="col">Amount</th>
                    <th scope="col">Status</th>
                    <th scope="col">Placed</th>
                  </tr>
                </thead>
                <tbody>
                  ${data.requestedOrders.map(
                    (requested) =>
                      html`<tr data-request-id="${requested.requestId}">
                        <td>
                          ${requested.title}${requested.quantity ? ` × ${requested.quantity} ${requested.unit ?? ""}` : ""}
                        </td>
                        <td>${money(requested.amount, requested.currency)}</td>
                        <td>requested, waiting for the marketplace</td>
                        <td>${day(requested.requestedAt)}</td>
                      </tr>`,
                  )}
                  ${orders.items.map(
                    (order) =>
                      html`<tr>
                        <td>
                          ${order.title}${order.quantity ? ` × ${order.quantity} ${order.unit ?? ""}` : ""}
                        </td>
                        <td>${money(order.amount, order.currency)}</td>
                        <td>${statusLabel(order.status)}</td>
                        <td>${day(order.createdAt)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : ""
      }
      ${refusedOrders(data)}
    </section>
    <section aria-labelledby="documents-title">
      <h2 id="documents-title">Your documents</h2>
      ${freshness(documents)} ${empty(documents, "No documents yet.")}
      ${
        documents.items.length > 0
          ? html`<ul>
              ${documents.items.map(
                (doc) =>
                  html`<li>
                    ${doc.name}
                    <span class="muted"
                      >(version ${doc.version}, ${kilobytes(doc.size)}, ${day(doc.createdAt)})</span
                    >
                  </li>`,
              )}
            </ul>`
          : ""
      }
    </section>
    <section aria-labelledby="offers-title">
      <h2 id="offers-title">Offers for you</h2>
      ${freshness(offers)} ${empty(offers, "No offers for you right now.")}
      ${
        offers.items.length > 0
          ? html`<ul class="cards">
              ${offers.items.map(
                (offer) =>
                  html`<li>
                    <h3>${offer.title}</h3>
                    <p>${offer.reason ?? ""}</p>
                  </li>`,
              )}
            </ul>`
          : ""
      }
    </section>`;
}

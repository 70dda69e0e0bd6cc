import { html, page, type Html } from "@symbiont/pages";
import type { RefusedRequest } from "../cabinet-data/refusal-events.js";
import type { Session } from "../cabinet/session-store.js";
import type {
  CompanyPartnerView,
  CompanySandbox,
  MarketplacePartnerView,
  PartnerOrder,
} from "./partner-data.js";
import { moveLabel, partnerMoves } from "./order-moves.js";
import type { PartnerCabinetKind } from "./partner-access.js";

// The partner cabinets' pages (MISSION F4 marketplace partner, F5 company partner).

export const sites: Record<PartnerCabinetKind, string> = {
  marketplace: "Acme partner cabinet",
  company: "Acme company partner cabinet",
};
export const partnerNav = (kind: PartnerCabinetKind, current = "/") =>
  (kind === "marketplace"
    ? [
        { href: "/", label: "Requests" },
        { href: "/offers", label: "Offers" },
        { href: "/reports/orders.csv", label: "Report (CSV)" },
      ]
    : [{ href: "/", label: "Shared with you" }]
  ).map((link) => ({ ...link, current: link.href === current }));

const money = (amount?: number, currency?: string) =>
  amount === undefined ? "" : `${amount.toFixed(2)} ${currency ?? ""}`.trim();
const day = (iso?: string) => (iso ? iso.slice(0, 10) : "");

/**
 * What the marketplace refused of the partner's requests, newest first: when, what (in the
 * page's words) and why, with the rule of the game when one was broken.
 */
export function refusalsSection(
  heading: string,
  refused: RefusedRequest[],
  what: (refusal: RefusedRequest) => string,
): Html {
  if (refused.length === 0) return html``;
  return html`<section aria-labelledby="refusals-title" class="refusals">
    <h2 id="refusals-title">${heading}</h2>
    <ul>
      ${refused.map(
        (r) =>
          html`<li data-event-id="${r.eventId}">
            <span class="muted">${r.refusedAt.slice(0, 16).replace("T", " ")} UTC</span>
            <strong>${what(r)}</strong>: ${r.reason}${r.rule ? ` (rule ${r.rule})` : ""}
          </li>`,
      )}
    </ul>
  </section>`;
}

export function account(session: Session): Html {
  return html`<form method="post" action="/logout" class="account">
    <span
      >${session.name ?? session.email ?? "Signed in"}${session.partnerId ? ` (${session.partnerId})` : ""}</span
    >
    <button type="submit">Sign out</button>
  </form>`;
}

export function partnerSignedOutPage(kind: PartnerCabinetKind, notice?: string): string {
  return page({
    title: "Welcome",
    site: sites[kind],
    nav: partnerNav(kind).slice(0, 1),
    body: html`<h1>
        ${kind === "marketplace" ? "Your partner cabinet" : "Your company partner cabinet"}
      </h1>
      ${notice ? html`<p class="notice" role="status">${notice}</p>` : ""}
      <p>
        ${
          kind === "marketplace"
            ? "Requests from our customers, your finances, statistics and reports, in one place."
            : "What the company shares with you: documents and the rights you hold on them."
        }
      </p>
      <p><a class="button" href="/login">Sign in with Acme ID</a></p>`,
  });
}

export function partnerProblemPage(
  kind: PartnerCabinetKind,
  title: string,
  message: string,
): string {
  return page({
    title,
    site: sites[kind],
    nav: partnerNav(kind),
    body: html`<h1>${title}</h1>
      <p class="error" role="alert">${message}</p>
      <p><a href="/">Back to the cabinet</a></p>`,
  });
}

function requestRows(orders: PartnerOrder[], showPartner: boolean): Html {
  return html`<div style="overflow-x:auto">
    <table>
      <caption class="muted">
        Requests from customers, newest first
      </caption>
      <thead>
        <tr>
          <th scope="col">Request</th>
          ${showPartner ? html`<th scope="col">Partner</th>` : ""}
          <th scope="col">Amount</th>
          <th scope="col">Status</th>
          <th scope="col">Placed</th>
        </tr>
      </thead>
      <tbody>
        ${orders.map(
          (o) =>
            html`<tr>
              <td>
                <a href="/orders/${o.orderId}"
                  >${o.title}${o.quantity ? ` × ${o.quantity} ${o.unit ?? ""}` : ""}</a
                >
              </td>
              ${showPartner ? html`<td>${o.partnerId}</td>` : ""}
              <td>${money(o.amount, o.currency)}</td>
              <td>${o.status.replace(/_/g, " ")}</td>
              <td>${day(o.createdAt)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

export function marketplacePartnerPage(
  session: Session,
  view: MarketplacePartnerView,
  all: boolean,
): string {
  return page({
    title: "Partner cabinet",
    site: sites.marketplace,
    nav: partnerNav("marketplace"),
    account: account(session),
    body: html`<h1>${all ? "All partners" : `Partner ${session.partnerId ?? ""}`}</h1>
      <p class="${view.asOf ? "muted" : "notice"}" role="status">${view.note}</p>
      <section aria-labelledby="requests-title">
        <h2 id="requests-title">Requests from users</h2>
        ${view.requests.length === 0 ? html`<p>No requests yet.</p>` : requestRows(view.requests, all)}
      </section>
      <section aria-labelledby="finances-title">
        <h2 id="finances-title">Finances</h2>
        ${
          view.finances.length === 0
            ? html`<p>No payments yet.</p>`
            : html`<div style="overflow-x:auto">
                <table>
                  <caption class="muted">
                    Paid orders: what customers paid, the marketplace's commission, your payout and
                    refunds
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Currency</th>
                      <th scope="col">Paid</th>
                      <th scope="col">Commission</th>
                      <th scope="col">Payout</th>
                      <th scope="col">Refunded</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${view.finances.map(
                      (f) =>
                        html`<tr>
                          <td>${f.currency}</td>
                          <td>${f.paid.toFixed(2)}</td>
                          <td>${f.commission.toFixed(2)}</td>
                          <td>${f.payout.toFixed(2)}</td>
                          <td>${f.refunded.toFixed(2)}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>`
        }
      </section>
      <section aria-labelledby="statistics-title">
        <h2 id="statistics-title">Statistics</h2>
        <dl>
          <dt>Requests</dt>
          <dd>${view.statistics.total}</dd>
          ${Object.entries(view.statistics.byStatus).map(
            ([status, count]) =>
              html`<dt>${status.replace(/_/g, " ")}</dt>
                <dd>${count}</dd>`,
          )}
        </dl>
      </section>
      <section aria-labelledby="reports-title">
        <h2 id="reports-title">Reports</h2>
        <p><a href="/reports/orders.csv">Download your requests and payments (CSV)</a></p>
      </section>`,
  });
}

export interface OrderPageOptions {
  /** A partner moves its own requests; a manager only looks. */
  canMove: boolean;
  /** The move just sent (its status changes once the marketplace confirms it). */
  sent?: { transition: string; label: string };
  error?: { field: "transition" | "note"; message: string };
  /** The note as typed, when the form comes back with an error. */
  note?: string;
  /** Moves of this request the marketplace refused, newest first. */
  refused?: RefusedRequest[];
}

export function partnerOrderPage(
  session: Session,
  order: PartnerOrder,
  options: OrderPageOptions = { canMove: false },
): string {
  const moves = partnerMoves(order);
  const noteInvalid =
    options.error?.field === "note" ? html`aria-invalid="true" aria-describedby="move-error"` : "";
  return page({
    title: order.title,
    site: sites.marketplace,
    nav: partnerNav("marketplace"),
    account: account(session),
    body: html`<h1>${order.title}</h1>
      ${
        options.sent
          ? html`<p class="notice" role="status">
              Sent: ${options.sent.label.toLowerCase()}. The status here changes once the
              marketplace confirms it.
            </p>`
          : ""
      }
      ${
        options.error
          ? html`<p class="error" role="alert" id="move-error">${options.error.message}</p>`
          : ""
      }
      <dl>
        <dt>Request</dt>
        <dd>${order.orderId}</dd>
        <dt>Status</dt>
        <dd>${order.status.replace(/_/g, " ")}</dd>
        <dt>Quantity</dt>
        <dd>${order.quantity ?? ""} ${order.unit ?? ""}</dd>
        <dt>Amount</dt>
        <dd>${money(order.amount, order.currency)}</dd>
        <dt>Placed</dt>
        <dd>${day(order.createdAt)}</dd>
        <dt>Paid</dt>
        <dd>${order.paidAt ? day(order.paidAt) : "not yet"}</dd>
        <dt>Your payout</dt>
        <dd>${money(order.partnerPayout, order.currency) || "after payment"}</dd>
      </dl>
      ${
        !options.canMove
          ? html`<p class="muted">
              Partners move their own requests here; the company's managers use the marketplace's
              operator API.
            </p>`
          : options.sent
            ? html`<p><a href="/orders/${order.orderId}">See the request's status now</a></p>`
            : moves.length === 0
              ? html`<p class="muted">Nothing for you to do on this request.</p>`
              : html`<section aria-labelledby="moves-title">
                  <h2 id="moves-title">Your next step</h2>
                  <form method="post" action="/orders/${order.orderId}/moves">
                    <label for="note">Note (optional, kept in the request's history)</label>
                    <textarea id="note" name="note" maxlength="1000" rows="3" ${noteInvalid}>
${options.note ?? ""}</textarea>
                    ${moves.map(
                      (move) =>
                        html`<button type="submit" name="transition" value="${move.transition}">
                          ${move.label}
                        </button>`,
                    )}
                  </form>
                </section>`
      }
      ${refusalsSection("Moves the marketplace refused", options.refused ?? [], (r) =>
        moveLabel(r.transition ?? "a move"),
      )}
      <p><a href="/">Back to the requests</a></p>`,
  });
}

function sandboxSection(sandbox: CompanySandbox, showPartner: boolean): Html {
  return html`<li>
    <h3><a href="/sandboxes/${sandbox.sandboxId}">${sandbox.title}</a></h3>
    <p>Your rights: ${sandbox.rights.join(", ")}${showPartner ? ` (${sandbox.partner})` : ""}</p>
    <p>${sandbox.files.length} file${sandbox.files.length === 1 ? "" : "s"}</p>
  </li>`;
}

export function companyPartnerPage(
  session: Session,
  view: CompanyPartnerView,
  all: boolean,
): string {
  return page({
    title: "Company partner cabinet",
    site: sites.company,
    nav: partnerNav("company"),
    account: account(session),
    body: html`<h1>${all ? "All company partners" : `Partner ${session.partnerId ?? ""}`}</h1>
      <p class="${view.asOf ? "muted" : "notice"}" role="status">${view.note}</p>
      <section aria-labelledby="shared-title">
        <h2 id="shared-title">Shared with you</h2>
        ${
          view.sandboxes.length === 0
            ? html`<p>Nothing is shared with you yet.</p>`
            : html`<ul class="cards">
                ${view.sandboxes.map((s) => sandboxSection(s, all))}
              </ul>`
        }
      </section>`,
  });
}

export function companySandboxPage(session: Session, sandbox: CompanySandbox): string {
  return page({
    title: sandbox.title,
    site: sites.company,
    nav: partnerNav("company"),
    account: account(session),
    body: html`<h1>${sandbox.title}</h1>
      <p>Your rights here: ${sandbox.rights.join(", ")}</p>
      ${
        sandbox.files.length === 0
          ? html`<p>No files yet.</p>`
          : html`<div style="overflow-x:auto">
              <table>
                <caption class="muted">
                  Files (current versions)
                </caption>
                <thead>
                  <tr>
                    <th scope="col">File</th>
                    <th scope="col">Version</th>
                    <th scope="col">Stored</th>
                  </tr>
                </thead>
                <tbody>
                  ${sandbox.files.map(
                    (f) =>
                      html`<tr>
                        <td>${f.name}</td>
                        <td>${f.version}</td>
                        <td>${day(f.createdAt)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }
      <p><a href="/">Back</a></p>`,
  });
}

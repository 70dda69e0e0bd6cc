import { html, page } from "@symbiont/pages";
import { catalogFreshness, itemCards } from "../catalog/catalog-pages.js";
import type { CabinetData } from "../cabinet-data/cabinet-data.js";
import type { CatalogView } from "../catalog/catalog-store.js";
import { cabinetSections } from "./cabinet-sections.js";
import type { Session } from "./session-store.js";

// The user cabinet's pages (MISSION F3).

const site = "Acme cabinet";
const nav = [
  { href: "/", label: "Cabinet", current: true },
  { href: "/marketplace", label: "Marketplace" },
];

function signOut(session: Session) {
  return html`<form method="post" action="/logout" class="account">
    <span>${session.name ?? session.email ?? "Signed in"}</span>
    <button type="submit">Sign out</button>
  </form>`;
}

export function signedOutPage(notice?: string): string {
  return page({
    title: "Welcome",
    site,
    nav,
    body: html`<h1>Your cabinet</h1>
      ${notice ? html`<p class="notice" role="status">${notice}</p>` : ""}
      <p>Your profile, your requests and offers picked for you, in one place.</p>
      <p><a class="button" href="/login">Sign in with Acme ID</a></p>`,
  });
}

export function cabinetPage(
  session: Session,
  catalog: CatalogView,
  data: CabinetData,
  notices: { sent?: string; booked?: string; ordered?: string } = {},
): string {
  const { sent, booked: bookedAt, ordered } = notices;
  return page({
    title: "Your cabinet",
    site,
    nav,
    account: signOut(session),
    body: html`<h1>Hello, ${session.name ?? session.email ?? "there"}</h1>
      ${sent ? html`<p class="notice" role="status">Thank you: we noted your interest in ${sent}; a manager will contact you.</p>` : ""}
      ${bookedAt ? html`<p class="notice" role="status">Your meeting on ${bookedAt} UTC is booked; a manager will confirm it.</p>` : ""}
      ${ordered ? html`<p class="notice" role="status">Your order of ${ordered} is sent: it shows under your orders as requested until the marketplace places it.</p>` : ""}
      <p><a href="/meetings/new">Book a meeting with a manager</a></p>
      <section aria-labelledby="profile-title">
        <h2 id="profile-title">Your profile</h2>
        <dl>
          <dt>Name</dt>
          <dd>${session.name ?? "not given"}</dd>
          <dt>E-mail</dt>
          <dd>${session.email ?? "not given"}</dd>
          <dt>Account</dt>
          <dd>${session.roles.join(", ") || "customer"}</dd>
        </dl>
      </section>
      ${cabinetSections(data)}
      <section aria-labelledby="catalog-title">
        <h2 id="catalog-title">From our catalog</h2>
        ${catalogFreshness(catalog)}
        ${itemCards(
          catalog.items.slice(0, 12),
          (item) =>
            html`<form method="post" action="/interests">
              <input type="hidden" name="itemId" value="${item.id}" /><button
                type="submit"
                aria-label="I am interested in ${item.name}"
              >
                I am interested
              </button>
            </form>`,
        )}
      </section> `,
  });
}

export function problemPage(title: string, message: string, status = "Try again"): string {
  return page({
    title,
    site,
    nav,
    body: html`<h1>${title}</h1>
      <p class="error" role="alert">${message}</p>
      <p><a href="/login">${status}</a></p>`,
  });
}

/** The meeting booking form; with the refusal of a first try, its field and message. */
export function meetingFormPage(
  places: readonly string[],
  values: { meetingAt?: string; place?: string } = {},
  error?: { field: "meetingAt" | "place"; message: string },
): string {
  const invalid = (field: string) =>
    error?.field === field ? html`aria-invalid="true" aria-describedby="meeting-error"` : "";
  return page({
    title: "Book a meeting",
    site,
    nav,
    body: html`<h1>Book a meeting with a manager</h1>
      ${error ? html`<p class="error" role="alert" id="meeting-error">${error.message}</p>` : ""}
      <form method="post" action="/meetings">
        <label for="meetingAt">Date and time (UTC)</label>
        <input
          id="meetingAt"
          name="meetingAt"
          type="datetime-local"
          required
          value="${values.meetingAt ?? ""}"
          ${invalid("meetingAt")}
        />
        <label for="place">Where</label>
        <select id="place" name="place" ${invalid("place")}>
          ${places.map(
            (place) =>
              html`<option value="${place}" ${values.place === place ? "selected" : ""}>
                ${place}
              </option>`,
          )}
        </select>
        <button type="submit">Book the meeting</button>
      </form>
      <p><a href="/">Back to your cabinet</a></p>`,
  });
}

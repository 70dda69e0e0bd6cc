import { html, page, type Html } from "@symbiont/pages";
import { catalogFreshness, itemCards, price } from "../catalog/catalog-pages.js";
import type { CatalogView } from "../catalog/catalog-store.js";
import type { CatalogItem } from "../catalog/item-changed.js";

// The main site's pages (MISSION F1): the catalog, an item with a call-back form, the
// cookie banner.

const nav = (current: string) => [
  { href: "/", label: "Catalog", current: current === "/" },
  { href: "/cookies", label: "Cookies", current: current === "/cookies" },
];

function consentBanner(show: boolean, returnTo: string): Html {
  if (!show) return html``;
  return html`<section class="notice" aria-labelledby="cookies-title">
    <h2 id="cookies-title">Cookies</h2>
    <p>
      May we remember this browser to see which pages interest you? We use it only to serve you
      better.
    </p>
    <form method="post" action="/consent">
      <input type="hidden" name="returnTo" value="${returnTo}" />
      <button type="submit" name="choice" value="accept">Accept</button>
      <button type="submit" name="choice" value="refuse">Refuse</button>
    </form>
  </section>`;
}

export function catalogPage(site: string, view: CatalogView, askConsent: boolean): string {
  return page({
    title: "Catalog",
    site,
    nav: nav("/"),
    body: html`<h1>Catalog</h1>
      ${consentBanner(askConsent, "/")} ${catalogFreshness(view)} ${itemCards(view.items)}`,
  });
}

export function itemPage(
  site: string,
  item: CatalogItem,
  askConsent: boolean,
  form: { error?: string; sent?: boolean } = {},
): string {
  return page({
    title: item.name,
    site,
    nav: nav(`/items/${item.id}`),
    body: html`<h1>${item.name}</h1>
      ${consentBanner(askConsent, `/items/${item.id}`)}
      <p>${item.description}</p>
      <p><strong>${price(item)}</strong></p>
      <h2>Request a call back</h2>
      ${form.sent ? html`<p class="notice" role="status">Thank you: a manager will call you back.</p>` : ""}
      ${form.error ? html`<p class="error" role="alert">${form.error}</p>` : ""}
      <form method="post" action="/items/${item.id}/call-back">
        <label for="name">Your name</label>
        <input id="name" name="name" autocomplete="name" required />
        <label for="phone">Phone</label>
        <input id="phone" name="phone" type="tel" autocomplete="tel" required />
        <p>
          <input id="sms" name="sms" type="checkbox" value="yes" style="width:auto" />
          <label for="sms" style="display:inline">You may send me SMS about this offer</label>
        </p>
        <button type="submit">Call me back</button>
      </form>`,
  });
}

/** The cookie settings: the choice this browser made, and a way to change it. */
export function cookiesPage(
  site: string,
  choice: "accept" | "refuse" | undefined,
  error?: string,
): string {
  const now =
    choice === "accept"
      ? "You accepted: this browser is remembered to see which pages interest you."
      : choice === "refuse"
        ? "You refused: this browser is not remembered."
        : "You have not chosen yet: this browser is not remembered.";
  return page({
    title: "Cookies",
    site,
    nav: nav("/cookies"),
    body: html`<h1>Cookies</h1>
      ${error ? html`<p class="error" role="alert">${error}</p>` : ""}
      <p role="status">${now}</p>
      <p>Your choice is recorded with your customer profile, so our staff honour it too.</p>
      <form method="post" action="/consent">
        <input type="hidden" name="returnTo" value="/cookies" />
        <button type="submit" name="choice" value="accept">Accept</button>
        <button type="submit" name="choice" value="refuse">Refuse</button>
      </form>`,
  });
}

export function notFoundPage(site: string, what: string): string {
  return page({
    title: "Not found",
    site,
    nav: nav(""),
    body: html`<h1>Not found</h1>
      <p>${what}</p>`,
  });
}

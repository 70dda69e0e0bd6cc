import { html, type Html } from "@symbiont/pages";
import type { CatalogView } from "./catalog-store.js";
import type { CatalogItem } from "./item-changed.js";

/** Says how current the catalog is: the pages show the front office's copy, never MDM live. */
export function catalogFreshness(view: CatalogView): Html {
  if (!view.lastChangeAt)
    return html`<p class="notice" role="status">
      The catalog has not arrived from master data yet: it appears here as soon as it does.
    </p>`;
  return html`<p class="muted">
    Catalog as of
    <time datetime="${view.lastChangeAt.toISOString()}"
      >${view.lastChangeAt.toISOString().replace("T", " ").slice(0, 16)} UTC</time
    >.
  </p>`;
}

export function price(item: CatalogItem): string {
  return item.price ? `${item.price.amount.toFixed(2)} ${item.price.currency}` : "price on request";
}

export function itemCards(items: CatalogItem[], action?: (item: CatalogItem) => Html): Html {
  if (items.length === 0) return html`<p>Nothing on sale right now.</p>`;
  return html`<ul class="cards">
    ${items.map(
      (item) =>
        html`<li>
          <h3><a href="/items/${item.id}">${item.name}</a></h3>
          <p>${item.description}</p>
          <p><strong>${price(item)}</strong></p>
          ${action ? action(item) : ""}
        </li>`,
    )}
  </ul>`;
}

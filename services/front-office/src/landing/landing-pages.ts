import { html, page } from "@symbiont/pages";
import { catalogFreshness, itemCards, price } from "../catalog/catalog-pages.js";
import type { CatalogView } from "../catalog/catalog-store.js";
import type { CatalogItem } from "../catalog/item-changed.js";

// The landing-page wizard's pages (MISSION F2): one landing page per product group (an MDM
// category) and per product, generated from the catalog copy on every request, so a change
// in MDM shows as soon as its event arrives.

const title = (category: string) =>
  category.replace(/[-_]+/g, " ").replace(/^./, (c) => c.toUpperCase());

export function landingIndexPage(site: string, view: CatalogView): string {
  const groups = [...new Set(view.items.map((item) => item.category))].sort();
  return page({
    title: "Landing pages",
    site,
    body: html`<h1>Landing pages</h1>
      ${catalogFreshness(view)}
      <p>One page for each product group and each product on sale, made from the catalog.</p>
      <h2>Product groups</h2>
      <ul>
        ${groups.map((g) => html`<li><a href="/groups/${g}">${title(g)}</a></li>`)}
      </ul>
      <h2>Products</h2>
      <ul>
        ${view.items.map((item) => html`<li><a href="/products/${item.id}">${item.name}</a></li>`)}
      </ul>`,
  });
}

export function groupLandingPage(site: string, category: string, view: CatalogView): string {
  const items = view.items.filter((item) => item.category === category);
  const cheapest = items
    .filter((item) => item.price)
    .sort((a, b) => a.price!.amount - b.price!.amount)[0];
  return page({
    title: title(category),
    site,
    body: html`<h1>${title(category)}</h1>
      <p>
        ${items.length}
        ${items.length === 1 ? "offer" : "offers"}${cheapest ? html`, from <strong>${price(cheapest)}</strong>` : ""}.
      </p>
      ${itemCards(items)} ${catalogFreshness(view)}`,
  });
}

export function productLandingPage(site: string, item: CatalogItem, view: CatalogView): string {
  return page({
    title: item.name,
    site,
    body: html`<h1>${item.name}</h1>
      <p class="lead">${item.description}</p>
      <p>Price: <strong data-price>${price(item)}</strong></p>
      <p><a class="button" href="/groups/${item.category}">More in ${title(item.category)}</a></p>
      ${catalogFreshness(view)}`,
  });
}

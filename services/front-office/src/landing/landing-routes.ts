import { html, page } from "@symbiont/pages";
import { Router, type Response } from "express";
import type { CatalogStore } from "../catalog/catalog-store.js";
import { groupLandingPage, landingIndexPage, productLandingPage } from "./landing-pages.js";

/**
 * The landing-page wizard (MISSION F2): pages generated for each product group and product
 * from the catalog copy that `mdm.item.changed` keeps current, so they follow MDM.
 */
export function landingRoutes(deps: { site: string; catalog: CatalogStore }): Router {
  const router = Router();
  const send = (res: Response, status: number, body: string) =>
    res.status(status).type("html").set("cache-control", "no-store").send(body);
  const missing = (res: Response, what: string) =>
    send(
      res,
      404,
      page({
        title: "Not found",
        site: deps.site,
        body: html`<h1>Not found</h1>
          <p>${what}</p>`,
      }),
    );

  router.get("/", async (_req, res) => {
    send(res, 200, landingIndexPage(deps.site, await deps.catalog.active()));
  });
  router.get("/groups/:category", async (req, res) => {
    const view = await deps.catalog.active();
    if (!view.items.some((item) => item.category === req.params.category))
      return missing(res, "Nothing is on sale in this group.");
    send(res, 200, groupLandingPage(deps.site, req.params.category, view));
  });
  router.get("/products/:id", async (req, res) => {
    const view = await deps.catalog.active();
    const item = view.items.find((i) => i.id === req.params.id);
    if (!item) return missing(res, "This product is not on sale.");
    send(res, 200, productLandingPage(deps.site, item, view));
  });
  return router;
}

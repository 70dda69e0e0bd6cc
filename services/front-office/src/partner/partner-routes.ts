import { Router, type Response } from "express";
import type { RecordStore } from "../cabinet-data/record-store.js";
import { sessionOf } from "../cabinet/cabinet-session.js";
import type { Session } from "../cabinet/session-store.js";
import { viewerScope, type PartnerCabinetKind, type Scope } from "./partner-access.js";
import {
  companyPartnerView,
  marketplacePartnerView,
  ordersCsv,
  partnerOrder,
} from "./partner-data.js";
import {
  companyPartnerPage,
  companySandboxPage,
  marketplacePartnerPage,
  partnerOrderPage,
  partnerProblemPage,
  partnerSignedOutPage,
} from "./partner-pages.js";

/**
 * A partner cabinet's pages after sign-in (MISSION F4, F5). The viewer's scope comes from the
 * SSO's token (roles, partner id) kept in the session; a person without the cabinet's role
 * gets 403, another partner's object 404 (as if it did not exist).
 */
export function partnerCabinetRoutes(kind: PartnerCabinetKind, records: RecordStore): Router {
  const router = Router();
  const send = (res: Response, status: number, body: string) =>
    res.status(status).type("html").set("cache-control", "no-store").send(body);
  const notFound = (res: Response, what: string) =>
    send(res, 404, partnerProblemPage(kind, "Not found", `${what} is not in your cabinet.`));

  /** The signed-in viewer and their scope, or an answer already sent. */
  const viewer = (
    res: Response,
  ): { session: Session; scope: Exclude<Scope, { kind: "refused" }> } | undefined => {
    const session = sessionOf(res);
    if (!session) {
      send(res, 200, partnerSignedOutPage(kind));
      return undefined;
    }
    const scope = viewerScope(session, kind);
    if (scope.kind === "refused") {
      send(res, 403, partnerProblemPage(kind, "Not for your account", `Sorry: ${scope.reason}.`));
      return undefined;
    }
    return { session, scope };
  };

  if (kind === "marketplace") {
    router.get("/", async (_req, res) => {
      const who = viewer(res);
      if (!who) return;
      const view = await marketplacePartnerView(records, who.scope);
      send(res, 200, marketplacePartnerPage(who.session, view, who.scope.kind === "all"));
    });
    router.get("/orders/:id", async (req, res) => {
      const who = viewer(res);
      if (!who) return;
      const order = await partnerOrder(records, who.scope, req.params.id);
      if (!order) return notFound(res, "This request");
      send(res, 200, partnerOrderPage(who.session, order));
    });
    router.get("/reports/orders.csv", async (_req, res) => {
      const who = viewer(res);
      if (!who) return;
      const view = await marketplacePartnerView(records, who.scope);
      res
        .status(200)
        .type("text/csv")
        .set("content-disposition", 'attachment; filename="requests.csv"')
        .set("cache-control", "no-store")
        .send(ordersCsv(view.requests));
    });
  } else {
    router.get("/", async (_req, res) => {
      const who = viewer(res);
      if (!who) return;
      const view = await companyPartnerView(records, who.scope);
      send(res, 200, companyPartnerPage(who.session, view, who.scope.kind === "all"));
    });
    router.get("/sandboxes/:id", async (req, res) => {
      const who = viewer(res);
      if (!who) return;
      const view = await companyPartnerView(records, who.scope);
      const sandbox = view.sandboxes.find((s) => s.sandboxId === req.params.id);
      if (!sandbox) return notFound(res, "This folder");
      send(res, 200, companySandboxPage(who.session, sandbox));
    });
  }
  return router;
}

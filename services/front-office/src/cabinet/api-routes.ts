import { createHash } from "node:crypto";
import { AppError, parseInput, type Outbox } from "@symbiont/service-kit";
import { Router, type NextFunction, type Request, type Response } from "express";
import { z } from "zod";
import { cabinetData } from "../cabinet-data/cabinet-data.js";
import { accountsOf } from "../cabinet-data/customer-events.js";
import type { CustomerLinks } from "../cabinet-data/customer-links.js";
import {
  findMarketOffer,
  toMarketOffer,
  type MarketOffer,
} from "../cabinet-data/market-offer-events.js";
import type { RecordStore } from "../cabinet-data/record-store.js";
import type { CatalogStore } from "../catalog/catalog-store.js";
import { interestTouchpoint } from "../touchpoints/touchpoint-events.js";
import { requestedOrderRecord, requestOrder } from "./marketplace-order.js";
import { cabinetOpenApi } from "./openapi.js";
import type { SsoClient } from "./sso-client.js";

export interface ApiDeps {
  sso: SsoClient;
  catalog: CatalogStore;
  data: { links: CustomerLinks; records: RecordStore };
  outbox: Outbox;
  now: () => Date;
  publicUrl: string;
  issuer: string;
}

interface Caller {
  subject: string;
  name?: string;
  email?: string;
  roles: string[];
}

const interestInput = z.strictObject({ itemId: z.string().min(1).max(64) });
/** The shape of an order; its values are checked as the order form's are (`requestOrder`). */
const orderInput = z.strictObject({
  requestId: z.string().max(64),
  offerId: z.string().max(64),
  quantity: z.number(),
  note: z.string().max(5_000).optional(),
});

/**
 * The cabinet's JSON API for the mobile app (OpenAPI at /api/openapi.json): the app signs
 * the person in at the same SSO (code + PKCE) and sends its access token as a bearer; the
 * cabinet asks the SSO who it belongs to (userinfo), remembered for 30 seconds.
 */
export function apiRoutes(deps: ApiDeps): Router {
  const router = Router();
  const known = new Map<string, { caller: Caller; until: number }>();

  const authenticate = async (req: Request, res: Response, next: NextFunction) => {
    const token = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(req.get("authorization") ?? "")?.[1];
    if (!token) {
      res.set("www-authenticate", 'Bearer realm="cabinet"');
      return next(
        new AppError({
          status: 401,
          code: "Unauthorized",
          message: "send the SSO's access token as Authorization: Bearer <token>",
        }),
      );
    }
    const key = createHash("sha256").update(token).digest("base64url");
    const cached = known.get(key);
    if (cached && cached.until > Date.now()) {
      res.locals.caller = cached.caller;
      return next();
    }
    let claims: Record<string, unknown>;
    try {
      claims = await deps.sso.userinfo(token);
    } catch (error) {
      const refused =
        (error as { code?: string }).code === "OAUTH_WWW_AUTHENTICATE_CHALLENGE" ||
        (error as { status?: number }).status === 401;
      if (refused) {
        res.set("www-authenticate", 'Bearer realm="cabinet", error="invalid_token"');
        return next(
          new AppError({
            status: 401,
            code: "InvalidToken",
            message: "the access token is not valid (expired or revoked): sign in again",
          }),
        );
      }
      return next(
        new AppError({
          status: 503,
          code: "SsoUnavailable",
          message: "the sign-in service does not answer; try again shortly",
        }),
      );
    }
    const caller: Caller = {
      subject: String(claims.sub),
      ...(typeof claims.name === "string" ? { name: claims.name } : {}),
      ...(typeof claims.email === "string" ? { email: claims.email } : {}),
      roles: Array.isArray(claims.roles) ? claims.roles.map(String) : [],
    };
    if (known.size > 10_000) known.clear();
    known.set(key, { caller, until: Date.now() + 30_000 });
    res.locals.caller = caller;
    next();
  };

  router.get("/api/openapi.json", (_req, res) => {
    res.json(cabinetOpenApi(deps.publicUrl, deps.issuer));
  });

  router.get("/api/v1/catalog", async (_req, res) => {
    const view = await deps.catalog.active();
    res.json({ items: view.items, asOf: view.lastChangeAt?.toISOString() ?? null });
  });

  router.get("/api/v1/me", authenticate, (_req, res) => {
    res.json(res.locals.caller as Caller);
  });

  // The unified cabinet's sections, each with its source and how current it is (asOf, note).
  for (const section of ["orders", "documents", "offers"] as const)
    router.get(`/api/v1/${section}`, authenticate, async (_req, res) => {
      const caller = res.locals.caller as Caller;
      const data = await cabinetData(deps.data, caller.subject);
      res.json({
        ...data[section],
        linked: data.linked,
        ...(section === "orders"
          ? { requested: data.requestedOrders, refused: data.refusedOrders }
          : {}),
      });
    });

  // The marketplace's offers as the cabinet last heard of them, and ordering one.
  router.get("/api/v1/marketplace/offers", authenticate, async (_req, res) => {
    const [records, asOf] = await Promise.all([
      deps.data.records.listAll("market-offer"),
      deps.data.records.lastReceivedAt("market-offer"),
    ]);
    const offers = records
      .map(toMarketOffer)
      .filter((o): o is MarketOffer => o !== undefined && o.status === "active");
    res.json({ offers, asOf: asOf?.toISOString() ?? null });
  });

  router.post("/api/v1/marketplace/orders", authenticate, async (req, res) => {
    const input = parseInput(orderInput, req.body, "body");
    const caller = res.locals.caller as Caller;
    const offer = await findMarketOffer(deps.data.records, input.offerId);
    const [customerId] = await deps.data.links.profileIdsOf(accountsOf(caller.subject));
    if (offer && !customerId)
      throw new AppError({
        status: 409,
        code: "NotLinked",
        message: "the person's customer record has not reached the cabinet yet; try again shortly",
      });
    const request = requestOrder({
      form: input,
      offer,
      customerId: customerId ?? "",
      now: deps.now(),
    });
    if (!request.ok) {
      const field = request.status === 404 ? "offerId" : request.field;
      throw new AppError({
        status: request.status,
        code: { 400: "InvalidInput", 404: "NotFound", 409: "OfferNotOnSale" }[request.status],
        ...(field ? { field: `body.${field}` } : {}),
        message:
          field === "requestId"
            ? "body.requestId: expected a UUID the app chooses for the order (sent again, it is the same order)"
            : `${field ? `body.${field}: ` : ""}${request.message}`,
      });
    }
    await deps.outbox.send([request.event]);
    await deps.data.records.apply(requestedOrderRecord(request), deps.now());
    res.status(202).json({ accepted: true, requestId: request.event.data.requestId });
  });

  router.post("/api/v1/interests", authenticate, async (req, res) => {
    const input = parseInput(interestInput, req.body, "body");
    const item = await deps.catalog.find(input.itemId);
    if (!item || item.status !== "active")
      throw new AppError({
        status: 404,
        code: "NotFound",
        field: "itemId",
        message: `itemId: item ${input.itemId} is not in the catalog`,
      });
    const caller = res.locals.caller as Caller;
    const event = interestTouchpoint({
      subject: caller.subject,
      email: caller.email,
      itemId: item.id,
      at: deps.now(),
    });
    await deps.outbox.send([event]);
    res.status(202).json({ accepted: true, touchpointId: event.data.id });
  });

  return router;
}

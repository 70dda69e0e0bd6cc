import type { AddressInfo } from "node:net";
import { requestRefusedSchema } from "@symbiont/contracts";
import { errorMiddleware, type OutgoingEvent, type Outbox } from "@symbiont/service-kit";
import express from "express";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CustomerLinks } from "../cabinet-data/customer-links.js";
import type { CatalogStore } from "../catalog/catalog-store.js";
import { customerRefusalRecord } from "../cabinet-data/refusal-events.js";
import { memoryRecords } from "../testing/memory-records.js";
import { apiRoutes } from "./api-routes.js";
import type { SsoClient } from "./sso-client.js";

// The mobile API's sections and marketplace orders over the real routes: the SSO's userinfo says whose the token is
// (here an SSO that knows one token), the copies are in memory.

const sso = {
  userinfo: async (token: string) => {
    if (token !== "good-token")
      throw Object.assign(new Error("invalid_token"), { code: "OAUTH_WWW_AUTHENTICATE_CHALLENGE" });
    return { sub: "u-1", email: "anna@example.com", roles: ["customer"] };
  },
} as unknown as SsoClient;
const links: CustomerLinks = {
  apply: async () => undefined,
  profileIdsOf: async (accounts) => (accounts.includes("u-1") ? ["p-1"] : []),
};
const offerId = "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f";
const withdrawnId = "7f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f";
const offerState = (title: string, status: string) => ({
  title,
  description: "",
  category: "home",
  unit: "visit",
  price: { amount: 2500, currency: "RUB" },
  status,
  version: 1,
});
const records = memoryRecords(
  {
    "market-offer": [
      {
        id: offerId,
        owners: ["partner:cleanco"],
        facts: { partnerId: "cleanco" },
        state: offerState("Flat cleaning", "active"),
      },
      {
        id: withdrawnId,
        owners: ["partner:cleanco"],
        facts: { partnerId: "cleanco" },
        state: offerState("Old cleaning", "withdrawn"),
      },
    ],
    order: [
      {
        id: "o-1",
        owners: ["customer:p-1"],
        facts: { title: "Cleaning", amount: 10, currency: "RUB" },
        state: { status: "paid" },
      },
    ],
    refusal: [
      customerRefusalRecord(
        requestRefusedSchema.parse({
          eventId: "marketplace.order.requested:r-2",
          request: "order.request",
          customerId: "p-1",
          requestId: "r-2",
          offerId: withdrawnId,
          quantity: 1,
          code: "OfferUnavailable",
          reason: "it is withdrawn",
          refusedAt: "2026-03-01T10:01:00.000Z",
        }),
      ),
    ].map((update) => ({ ...update!, state: {} })),
  },
  { order: new Date("2026-03-01T10:00:00Z"), "market-offer": new Date("2026-03-01T09:00:00Z") },
);
const catalog = {
  active: async () => ({ items: [], lastChangeAt: undefined }),
  find: async () => undefined,
} as unknown as CatalogStore;
const sent: OutgoingEvent[] = [];
let base = "";
let server: ReturnType<express.Express["listen"]>;

beforeAll(async () => {
  const app = express()
    .use(express.json())
    .use(
      apiRoutes({
        sso,
        catalog,
        data: { links, records },
        outbox: { send: async (events) => void sent.push(...events) } as Outbox,
        now: () => new Date(),
        publicUrl: "http://cabinet.test",
        issuer: "http://sso.test",
      }),
    )
    .use(errorMiddleware(pino({ level: "silent" })));
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

describe("the cabinet's API sections", () => {
  it("when the app asks for the person's orders with their token, then it gets them with where they come from and how current they are", async () => {
    const res = await fetch(`${base}/api/v1/orders`, {
      headers: { authorization: "Bearer good-token" },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      source: "marketplace",
      items: [{ orderId: "o-1", title: "Cleaning", amount: 10, currency: "RUB", status: "paid" }],
      asOf: "2026-03-01T10:00:00.000Z",
      note: expect.stringContaining("Orders as of 2026-03-01 10:00 UTC"),
      linked: true,
      requested: [],
      refused: [
        {
          eventId: "marketplace.order.requested:r-2",
          request: "order.request",
          requestId: "r-2",
          offerId: withdrawnId,
          title: "Old cleaning",
          quantity: 1,
          code: "OfferUnavailable",
          reason: "it is withdrawn",
          refusedAt: "2026-03-01T10:01:00.000Z",
        },
      ],
    });
  });

  it("when a module has sent nothing, then its section is still 200, empty, with asOf null and a note", async () => {
    const res = await fetch(`${base}/api/v1/documents`, {
      headers: { authorization: "Bearer good-token" },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      source: "files",
      items: [],
      asOf: null,
      note: expect.stringContaining("have not arrived"),
    });
  });

  it.each(["/api/v1/orders", "/api/v1/documents", "/api/v1/offers"])(
    "when %s is called without a token or with a bad one, then it answers 401",
    async (path) => {
      expect((await fetch(`${base}${path}`)).status).toBe(401);
      expect(
        (await fetch(`${base}${path}`, { headers: { authorization: "Bearer forged" } })).status,
      ).toBe(401);
    },
  );
});

describe("ordering from the marketplace through the API", () => {
  const order = (body: unknown, token = "good-token") =>
    fetch(`${base}/api/v1/marketplace/orders`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const requestId = "0b8f6c1e-7f0a-4a57-9d55-2c6f1f7a3a10";

  it("when the app lists the offers, then it gets the active ones with when the marketplace last spoke", async () => {
    const res = await fetch(`${base}/api/v1/marketplace/offers`, {
      headers: { authorization: "Bearer good-token" },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { offers: Array<{ offerId: string }>; asOf: string };
    expect(body.offers.map((o) => o.offerId)).toEqual([offerId]);
    expect(body.asOf).toBe("2026-03-01T09:00:00.000Z");
  });

  it("when the app orders an offer, then marketplace.order.requested goes out for the person's CRM profile, keyed by the app's request id", async () => {
    sent.length = 0;
    const res = await order({ requestId, offerId, quantity: 2, note: "ring twice" });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: true, requestId });
    expect(sent).toEqual([
      expect.objectContaining({
        id: `marketplace.order.requested:${requestId}`,
        data: expect.objectContaining({ offerId, customerId: "p-1", quantity: 2 }),
      }),
    ]);
    // Until the marketplace places it, the person's orders list it as requested.
    const orders = await fetch(`${base}/api/v1/orders`, {
      headers: { authorization: "Bearer good-token" },
    });
    expect(((await orders.json()) as { requested: unknown[] }).requested).toEqual([
      {
        requestId,
        offerId,
        title: "Flat cleaning",
        quantity: 2,
        unit: "visit",
        amount: 5000,
        currency: "RUB",
        requestedAt: expect.any(String),
      },
    ]);
  });

  it.each([
    [{ requestId, offerId, quantity: 0 }, 400, "body.quantity"],
    [{ requestId, offerId, quantity: 1.5 }, 400, "body.quantity"],
    [{ requestId, offerId, quantity: "2" }, 400, "body.quantity"],
    [{ requestId: "mine", offerId, quantity: 1 }, 400, "body.requestId"],
    [{ requestId, offerId, quantity: 1, note: "x".repeat(1001) }, 400, "body.note"],
    [{ requestId, offerId, quantity: 1, extra: true }, 400, undefined],
    [
      { requestId, offerId: "7f1c2d3e-0000-4c6d-8e7f-9a0b1c2d3e4f", quantity: 1 },
      404,
      "body.offerId",
    ],
    [{ requestId, offerId: withdrawnId, quantity: 1 }, 409, undefined],
  ])(
    "when the body is %j, then it answers %i naming %s and sends nothing",
    async (body, status, field) => {
      sent.length = 0;
      const res = await order(body);
      expect(res.status).toBe(status);
      const error = ((await res.json()) as { error: { field?: string; message: string } }).error;
      if (field) expect(error.field).toBe(field);
      expect(sent).toEqual([]);
    },
  );

  it("when the app orders without a valid token, then it answers 401 and sends nothing", async () => {
    sent.length = 0;
    expect((await order({ requestId, offerId, quantity: 1 }, "forged")).status).toBe(401);
    expect((await fetch(`${base}/api/v1/marketplace/offers`)).status).toBe(401);
    expect(sent).toEqual([]);
  });
});

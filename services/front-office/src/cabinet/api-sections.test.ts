import type { AddressInfo } from "node:net";
import { errorMiddleware, type Outbox } from "@symbiont/service-kit";
import express from "express";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CustomerLinks } from "../cabinet-data/customer-links.js";
import type { CatalogStore } from "../catalog/catalog-store.js";
import { memoryRecords } from "../testing/memory-records.js";
import { apiRoutes } from "./api-routes.js";
import type { SsoClient } from "./sso-client.js";

// The mobile API's sections over the real routes: the SSO's userinfo says whose the token is
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
const records = memoryRecords(
  {
    order: [
      {
        id: "o-1",
        owners: ["customer:p-1"],
        facts: { title: "Cleaning", amount: 10, currency: "RUB" },
        state: { status: "paid" },
      },
    ],
  },
  { order: new Date("2026-03-01T10:00:00Z") },
);
const catalog = {
  active: async () => ({ items: [], lastChangeAt: undefined }),
  find: async () => undefined,
} as unknown as CatalogStore;
let base = "";
let server: ReturnType<express.Express["listen"]>;

beforeAll(async () => {
  const app = express()
    .use(
      apiRoutes({
        sso,
        catalog,
        data: { links, records },
        outbox: {} as Outbox,
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

import type { AddressInfo } from "node:net";
import { touchpointInputSchema } from "@symbiont/crm";
import type { OutgoingEvent, Outbox } from "@symbiont/service-kit";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogStore } from "../../services/front-office/src/catalog/catalog-store.js";
import { siteRoutes } from "../../services/front-office/src/site/site-routes.js";

// The cookie banner's form against the site's real routes: what it answers and what it sends
// to CRM (the outbox keeps what would be published).

const sent: OutgoingEvent[] = [];
const outbox: Outbox = {
  send: async (events) => void sent.push(...events),
  flush: async () => 0,
  startRelay: () => undefined,
  stop: async () => undefined,
  pending: async () => 0,
};
const catalog: CatalogStore = {
  apply: async () => false,
  active: async () => ({ items: [], lastChangeAt: undefined }),
  find: async () => undefined,
};
let base = "";
let server: ReturnType<express.Express["listen"]>;

beforeAll(async () => {
  const app = express().use(
    siteRoutes({ site: "Acme", catalog, outbox, now: () => new Date("2026-03-01T10:00:00Z") }),
  );
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

const choose = (choice: string, cookie = "") =>
  fetch(`${base}/consent`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams({ choice, returnTo: "/" }),
  });
const cookiesOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");

describe("the cookie banner's choice", () => {
  it("when a visitor accepts, then CRM is told consent.cookies = true for the new cookie id", async () => {
    sent.length = 0;
    const res = await choose("accept");
    expect(res.status).toBe(303);
    const visitor = /acme_visitor=([^;]+)/.exec(cookiesOf(res))?.[1];
    expect(visitor).toBeTruthy();
    expect(sent).toHaveLength(1);
    const touchpoint = touchpointInputSchema.parse(sent[0]!.data);
    expect(touchpoint).toMatchObject({
      channel: "cookie",
      identity: { cookieId: visitor },
      consent: { cookies: true },
    });
  });

  it("when a visitor who accepted refuses later, then CRM is told the withdrawal for the same id", async () => {
    sent.length = 0;
    const accepted = await choose("accept");
    const cookies = cookiesOf(accepted);
    const visitor = /acme_visitor=([^;]+)/.exec(cookies)?.[1];
    const refused = await choose("refuse", cookies);
    expect(refused.status).toBe(303);
    expect(sent.map((e) => touchpointInputSchema.parse(e.data).consent)).toEqual([
      { cookies: true },
      { cookies: false },
    ]);
    expect(touchpointInputSchema.parse(sent[1]!.data).identity).toEqual({ cookieId: visitor });
  });

  it("when a first-time visitor refuses, then nothing identifies them and nothing is sent", async () => {
    sent.length = 0;
    const res = await choose("refuse");
    expect(res.status).toBe(303);
    expect(cookiesOf(res)).not.toMatch(/acme_visitor=[^;]/);
    expect(sent).toEqual([]);
  });

  it("when the same choice is made again, then CRM is not told twice", async () => {
    sent.length = 0;
    const cookies = cookiesOf(await choose("accept"));
    await choose("accept", cookies);
    expect(sent).toHaveLength(1);
  });

  it("when the choice is neither accept nor refuse, then 400 names the field and nothing is sent", async () => {
    sent.length = 0;
    const res = await choose("maybe");
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("choice: choose one of accept, refuse");
    expect(sent).toEqual([]);
  });

  it("when the visitor opens the cookie settings, then the page shows their choice", async () => {
    const cookies = cookiesOf(await choose("accept"));
    const res = await fetch(`${base}/cookies`, { headers: { cookie: cookies } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("You accepted");
  });
});

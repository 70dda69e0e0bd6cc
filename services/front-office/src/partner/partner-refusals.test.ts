import { requestRefusedSchema, type RequestRefused } from "@symbiont/contracts";
import { describe, expect, it } from "vitest";
import type { MarketOffer } from "../cabinet-data/market-offer-events.js";
import { partnerRefusalRecord } from "../cabinet-data/refusal-events.js";
import { memoryRecords, type OwnedRecord } from "../testing/memory-records.js";
import { testMarketOffer } from "../testing/test-market-offer.js";
import { testSession } from "../testing/test-session.js";
import { partnerOffersPage } from "./offer-pages.js";
import { partnerRefusals } from "./partner-data.js";
import { partnerOrderPage } from "./partner-pages.js";

// What the marketplace refused of a partner's requests, as the partner cabinet shows it: a
// partner sees its own (a manager everyone's), offer changes on the offers page and an
// order's refused moves on that order's page.

const offerId = "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f";
const refusal = (
  fields: Partial<RequestRefused> & Pick<RequestRefused, "eventId">,
): OwnedRecord => {
  const update = partnerRefusalRecord(
    requestRefusedSchema.parse({
      request: "offer.upsert",
      partnerId: "cleanco",
      offerId,
      code: "RuleViolation",
      reason: "price 900000.00 RUB is above the category's ceiling",
      rule: "price-ceiling",
      refusedAt: "2026-12-01T10:00:00.000Z",
      ...fields,
    }),
  )!;
  return { id: update.id, owners: update.owners, facts: update.facts, state: {} };
};
const records = memoryRecords({
  refusal: [
    refusal({ eventId: "e-1" }),
    refusal({
      eventId: "e-2",
      request: "offer.withdraw",
      code: "Forbidden",
      reason: "offer belongs to another partner",
      rule: undefined,
      refusedAt: "2026-12-01T11:00:00.000Z",
    }),
    refusal({
      eventId: "e-3",
      request: "order.transition",
      offerId: undefined,
      rule: undefined,
      orderId: "o-1",
      transition: "start",
      code: "InvalidTransition",
      reason: "order o-1 is paid: start needs accepted",
    }),
    refusal({ eventId: "e-4", partnerId: "other" }),
  ],
});
const offer: MarketOffer = testMarketOffer({ offerId });
const session = testSession({ roles: ["marketplace-partner"], partnerId: "cleanco" });

describe("the partner cabinet shows what the marketplace refused", () => {
  it("when a partner looks, then it sees its own refusals of the kinds asked, newest first; a manager sees every partner's", async () => {
    const partner = { kind: "partner", partnerId: "cleanco" } as const;
    const offers = await partnerRefusals(records, partner, ["offer.upsert", "offer.withdraw"]);
    expect(offers.map((r) => r.eventId)).toEqual(["e-2", "e-1"]);
    const manager = await partnerRefusals(records, { kind: "all" }, ["offer.upsert"]);
    expect(manager.map((r) => r.eventId).sort()).toEqual(["e-1", "e-4"]);
    expect(await partnerRefusals(records, partner, ["order.transition"], "o-2")).toEqual([]);
    expect(
      await partnerRefusals(records, { kind: "refused", reason: "no" }, ["offer.upsert"]),
    ).toEqual([]);
  });

  it("when the offers page lists refused changes, then each names the offer, what was asked and why, with the rule", async () => {
    const refused = await partnerRefusals(records, { kind: "partner", partnerId: "cleanco" }, [
      "offer.upsert",
      "offer.withdraw",
    ]);
    const html = partnerOffersPage(session, [offer], {
      canEdit: true,
      asOf: new Date("2026-12-01T09:00:00Z"),
      refused,
    });
    expect(html).toContain("Changes the marketplace refused");
    expect(html).toMatch(
      /New terms of Window cleaning<\/strong>: price 900000\.00 RUB is above the category&#39;s ceiling \(rule price-ceiling\)/,
    );
    expect(html).toContain(
      "Withdrawing Window cleaning</strong>: offer belongs to another partner",
    );
    expect(html.indexOf("Withdrawing")).toBeLessThan(html.indexOf("New terms"));
    expect(partnerOffersPage(session, [offer], { canEdit: true, asOf: undefined })).not.toContain(
      "Changes the marketplace refused",
    );
  });

  it("when a request's page has a refused move, then it says which move and why", async () => {
    const refused = await partnerRefusals(
      records,
      { kind: "partner", partnerId: "cleanco" },
      ["order.transition"],
      "o-1",
    );
    const html = partnerOrderPage(
      session,
      { orderId: "o-1", partnerId: "cleanco", title: "Window cleaning", status: "paid" },
      { canMove: true, refused },
    );
    expect(html).toContain("Moves the marketplace refused");
    expect(html).toContain("Start the work</strong>: order o-1 is paid: start needs accepted");
  });
});

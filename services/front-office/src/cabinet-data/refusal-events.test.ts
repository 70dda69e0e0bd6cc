import { requestRefusedSchema, ssoAccount, type RequestRefused } from "@symbiont/contracts";
import { describe, expect, it } from "vitest";
import { cabinetSections } from "../cabinet/cabinet-sections.js";
import { requestedOrderRecord, requestOrder } from "../cabinet/marketplace-order.js";
import { memoryRecords, type OwnedRecord } from "../testing/memory-records.js";
import { cabinetSignIn } from "../touchpoints/touchpoint-events.js";
import { cabinetData } from "./cabinet-data.js";
import type { CustomerLinks } from "./customer-links.js";
import { marketOfferRecord, toMarketOffer } from "./market-offer-events.js";
import { orderCreatedRecord } from "./order-events.js";
import type { RecordUpdate } from "./record-store.js";
import { customerRefusalRecord, partnerRefusalRecord, refusedRequests } from "./refusal-events.js";

// The marketplace's answers to refused requests as the cabinets keep and show them: whose
// they are, which show where, and that a request placed after all is no longer "refused".

const offerId = "4b8f0f0e-6f0e-4f5e-9d7e-1f2a3b4c5d6e";
const refused = (fields: Partial<RequestRefused>): RequestRefused =>
  requestRefusedSchema.parse({
    eventId: `marketplace.order.requested:${fields.requestId ?? "x"}`,
    request: "order.request",
    code: "OfferUnavailable",
    reason: `event.offerId: offer ${offerId} cannot be ordered: it is withdrawn`,
    refusedAt: "2026-12-01T10:00:00.000Z",
    ...fields,
  });
const stored = (update: RecordUpdate | undefined): OwnedRecord => {
  if (!update) throw new Error("expected a record");
  return { id: update.id, owners: update.owners, facts: update.facts, state: update.state ?? {} };
};

const links: CustomerLinks = {
  apply: async () => undefined,
  profileIdsOf: async (accounts) =>
    accounts.includes(ssoAccount("u-1", cabinetSignIn)) ? ["p-1"] : [],
};

describe("the cabinets' copy of refused requests", () => {
  it("when a refusal names a customer, then only the user cabinet keeps it, as that customer's", () => {
    const data = refused({ customerId: "p-1", requestId: "r-1", offerId, quantity: 2 });
    expect(customerRefusalRecord(data)).toMatchObject({
      kind: "refusal",
      id: data.eventId,
      owners: ["customer:p-1"],
      facts: { request: "order.request", requestId: "r-1", quantity: 2, code: "OfferUnavailable" },
    });
    expect(customerRefusalRecord(data)?.facts).not.toHaveProperty("customerId");
    expect(partnerRefusalRecord(data)).toBeUndefined();
  });

  it("when a refusal names a partner, then only the partner cabinet keeps it", () => {
    const data = refused({ request: "offer.upsert", partnerId: "cleanco", offerId });
    expect(partnerRefusalRecord(data)?.owners).toEqual(["partner:cleanco"]);
    expect(customerRefusalRecord(data)).toBeUndefined();
  });

  it("when a partner has refusals of several kinds, then each page gets its kinds, newest first", async () => {
    const records = memoryRecords({
      refusal: [
        stored(
          partnerRefusalRecord(
            refused({ eventId: "e-1", request: "offer.upsert", partnerId: "cleanco", offerId }),
          ),
        ),
        stored(
          partnerRefusalRecord(
            refused({
              eventId: "e-2",
              request: "offer.withdraw",
              partnerId: "cleanco",
              offerId,
              refusedAt: "2026-12-02T10:00:00.000Z",
            }),
          ),
        ),
        stored(
          partnerRefusalRecord(
            refused({ eventId: "e-3", request: "order.transition", partnerId: "cleanco" }),
          ),
        ),
        stored(
          partnerRefusalRecord(
            refused({ eventId: "e-4", request: "offer.upsert", partnerId: "other", offerId }),
          ),
        ),
      ],
    });
    const offers = await refusedRequests(
      records,
      ["partner:cleanco"],
      ["offer.upsert", "offer.withdraw"],
    );
    expect(offers.map((r) => r.eventId)).toEqual(["e-2", "e-1"]);
    expect(await refusedRequests(records, [], ["offer.upsert"])).toEqual([]);
  });

  it("when the user cabinet shows a refused order request, then it names the offer and says why in the person's words", async () => {
    const records = memoryRecords({
      refusal: [
        stored(
          customerRefusalRecord(
            refused({ customerId: "p-1", requestId: "r-1", offerId, quantity: 2 }),
          ),
        ),
        stored(customerRefusalRecord(refused({ customerId: "p-9", requestId: "r-9", offerId }))),
      ],
      "market-offer": [
        stored(
          marketOfferRecord({
            change: "withdrawn",
            offer: {
              id: offerId,
              partnerId: "cleanco",
              title: "Flat <cleaning>",
              description: "",
              category: "cleaning",
              unit: "visit",
              price: { amount: 50, currency: "RUB" },
              status: "withdrawn",
              version: 2,
            },
          }),
        ),
      ],
    });
    const data = await cabinetData({ links, records }, "u-1");
    expect(data.refusedOrders).toEqual([
      expect.objectContaining({ requestId: "r-1", title: "Flat <cleaning>", quantity: 2 }),
    ]);
    const page = cabinetSections(data).text;
    expect(page).toContain("Requests the marketplace refused");
    expect(page).toContain("Flat &#60;cleaning&#62; × 2");
    expect(page).toContain("The offer could no longer be ordered when your request arrived.");
    expect(page).not.toContain("No orders yet.");
  });

  it("when a refused request was placed after all (replayed), then it shows as the order only", async () => {
    const records = memoryRecords({
      refusal: [
        stored(customerRefusalRecord(refused({ customerId: "p-1", requestId: "r-1", offerId }))),
      ],
      order: [
        stored(
          orderCreatedRecord({
            orderId: "o-1",
            requestId: "r-1",
            customerId: "p-1",
            partnerId: "cleanco",
            title: "Flat cleaning",
            quantity: 1,
            unit: "visit",
            amount: 50,
            currency: "RUB",
            status: "awaiting_payment",
            createdAt: "2026-12-01T10:05:00.000Z",
          }),
        ),
      ],
    });
    const data = await cabinetData({ links, records }, "u-1");
    expect(data.refusedOrders).toEqual([]);
    expect(data.orders.items.map((o) => o.orderId)).toEqual(["o-1"]);
    expect(cabinetSections(data).text).not.toContain("Requests the marketplace refused");
  });

  it("when a person sends an order request, then it shows as requested until the marketplace places it or refuses it", async () => {
    const offerUpdate = marketOfferRecord({
      change: "created",
      offer: {
        id: offerId,
        partnerId: "cleanco",
        title: "Flat cleaning",
        description: "",
        category: "cleaning",
        unit: "visit",
        price: { amount: 12.5, currency: "RUB" },
        status: "active",
        version: 1,
      },
    });
    const records = memoryRecords({ "market-offer": [stored(offerUpdate)] });
    const offer = toMarketOffer((await records.find("market-offer", offerId))!)!;
    const now = new Date("2026-12-01T09:00:00.000Z");
    const send = async (requestId: string) => {
      const request = requestOrder({
        form: { requestId, offerId, quantity: "3" },
        offer,
        customerId: "p-1",
        now,
      });
      if (!request.ok) throw new Error(request.message);
      await records.apply(requestedOrderRecord(request), now);
    };
    const placedId = "0b8f6c1e-7f0a-4a57-9d55-2c6f1f7a3a11";
    const refusedId = "0b8f6c1e-7f0a-4a57-9d55-2c6f1f7a3a12";
    await send(placedId);
    await send(refusedId);
    let data = await cabinetData({ links, records }, "u-1");
    expect(data.requestedOrders.map((r) => r.requestId).sort()).toEqual([placedId, refusedId]);
    expect(data.requestedOrders[0]).toMatchObject({
      title: "Flat cleaning",
      quantity: 3,
      amount: 37.5,
    });
    expect(cabinetSections(data).text).toContain("requested, waiting for the marketplace");
    // The marketplace places one and refuses the other.
    await records.apply(
      orderCreatedRecord({
        orderId: "o-1",
        requestId: placedId,
        customerId: "p-1",
        partnerId: "cleanco",
        title: "Flat cleaning",
        quantity: 3,
        unit: "visit",
        amount: 37.5,
        currency: "RUB",
        status: "awaiting_payment",
        createdAt: "2026-12-01T09:00:05.000Z",
      }),
      now,
    );
    await records.apply(
      customerRefusalRecord(refused({ customerId: "p-1", requestId: refusedId, offerId }))!,
      now,
    );
    data = await cabinetData({ links, records }, "u-1");
    expect(data.requestedOrders).toEqual([]);
    expect(data.orders.items.map((o) => o.requestId)).toEqual([placedId]);
    expect(data.refusedOrders.map((r) => r.requestId)).toEqual([refusedId]);
    expect(cabinetSections(data).text).not.toContain("waiting for the marketplace");
  });

  it("when the kind of refusal is not one the cabinet words itself, then the marketplace's reason shows", async () => {
    const records = memoryRecords({
      refusal: [
        stored(
          customerRefusalRecord(
            refused({ customerId: "p-1", requestId: "r-2", code: "Forbidden", reason: "no <b>" }),
          ),
        ),
      ],
    });
    const page = cabinetSections(await cabinetData({ links, records }, "u-1")).text;
    expect(page).toContain("An offer");
    expect(page).toContain("The marketplace refused it: no &#60;b&#62;");
  });
});

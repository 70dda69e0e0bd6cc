import { join } from "node:path";
import { compileJsonSchema, consentKinds } from "@symbiont/contracts";
import { AppError, parseInput } from "@symbiont/service-kit";
import { describe, expect, it } from "vitest";
import { readManifests } from "../../dev/harness/apply-manifests.js";
import { repoRoot } from "../../dev/harness/tool-paths.js";
import type { BusRouteSpec } from "../../operator/src/api/bus-route.types.js";
import { ssoLoginSchema, ssoLoginTouchpoint } from "../../services/crm/src/domain/sso-login.js";
import { emptyProfile, withTouchpoints } from "../../services/crm/src/domain/profile-changes.js";
import { toTouchpoint } from "../../services/crm/src/domain/to-touchpoint.js";
import { profileEventView } from "../../services/crm/src/events/crm-topics.js";
import { accountsOf } from "../../services/front-office/src/cabinet-data/customer-events.js";
import { touchpointInputSchema } from "../../services/crm/src/domain/touchpoint.js";
import { itemChangedSchema } from "../../services/front-office/src/catalog/item-changed.js";
import {
  orderCreatedRecord,
  orderCreatedSchema,
  orderStatusChangedSchema,
  orderStatusRecord,
} from "../../services/front-office/src/cabinet-data/order-events.js";
import type { StoredRecord } from "../../services/front-office/src/cabinet-data/record-store.js";
import { partnerMoves, requestMove } from "../../services/front-office/src/partner/order-moves.js";
import {
  marketOfferChangedSchema,
  marketOfferRecord,
  toMarketOffer,
} from "../../services/front-office/src/cabinet-data/market-offer-events.js";
import { requestOrder } from "../../services/front-office/src/cabinet/marketplace-order.js";
import {
  requestOfferEdit,
  requestOfferWithdraw,
} from "../../services/front-office/src/partner/offer-edits.js";
import { toPartnerOrder } from "../../services/front-office/src/partner/partner-data.js";
import { applyTransition } from "../../services/marketplace/src/domain/order-machine.js";
import {
  orderRequestedSchema,
  partnerUpdatedSchema,
} from "../../services/marketplace/src/events/inbound-events.js";
import { offerChanged } from "../../services/marketplace/src/events/offer-events.js";
import { sampleOffer } from "../../services/marketplace/src/testing/sample-offer.js";
import {
  orderCreated,
  orderStatusChanged,
} from "../../services/marketplace/src/events/order-events.js";
import { sampleOrder } from "../../services/marketplace/src/testing/sample-order.js";
import {
  callBackTouchpoint,
  cookieChoiceTouchpoint,
  interestTouchpoint,
  visitTouchpoint,
} from "../../services/front-office/src/touchpoints/touchpoint-events.js";
import { itemFieldsSchema } from "../../services/mdm/src/domain/item.js";
import { itemChanged } from "../../services/mdm/src/events/mdm-topics.js";
import type { Account } from "../../services/sso/src/domain/account.js";
import { ssoLoginEvent } from "../../services/sso/src/events/sso-login.js";

// The front office and the SSO speak the core's contracts: what they publish passes CRM's own
// readers and the samples' import routes; what MDM publishes (built by MDM's own function)
// passes the export route and the front office's reader.

const routes = readManifests(join(repoRoot, "samples"))
  .filter((o) => o.kind === "BusRoute")
  .map((o) => (o as unknown as { spec: BusRouteSpec }).spec);
const routeCheck = (topic: string, direction: "import" | "export", payload: unknown) => {
  const route = routes.find((r) => r.topic === topic && r.direction === direction);
  if (!route) throw new Error(`no ${direction} route for ${topic} in samples/`);
  const compiled = compileJsonSchema(route.schema);
  if (!compiled.ok) throw new Error(compiled.error);
  return compiled.check(JSON.parse(JSON.stringify(payload)));
};

const at = new Date("2026-03-01T10:00:00.000Z");
const itemId = "2b8f6c1e-7f0a-4a57-9d55-2c6f1f7a3a10";
const account: Account = {
  subject: "5f0c8f8e-3c1e-4a57-9d55-0c6f1f7a3a11",
  email: "maria.ivanova@example.com",
  name: "Maria Ivanova",
  roles: ["customer"],
  passwordHash: "scrypt$...",
  createdAt: at,
};

describe("the SSO's sso.login", () => {
  const event = ssoLoginEvent(account, "8c9d0e1f-1111-4a57-9d55-2c6f1f7a3a12", "password", at);

  it("when a person signs in, then CRM's reader and the sso-in route take the event", () => {
    expect(event.id).toBe("sso.login:8c9d0e1f-1111-4a57-9d55-2c6f1f7a3a12");
    expect(ssoLoginSchema.parse(event.data)).toMatchObject({
      subject: account.subject,
      email: account.email,
      provider: "password",
      loggedInAt: at.toISOString(),
    });
    expect(routeCheck("sso.login", "import", event.data)).toEqual({ ok: true });
  });

  it("when the password hash is in the account, then it never reaches the event", () => {
    expect(JSON.stringify(event)).not.toContain("scrypt");
  });

  it.each([
    ["government", "gosuslugi", { ...account, email: undefined }],
    ["social", "social", account],
  ] as const)(
    "when a person signs in through a %s upstream, then CRM and the sso-in route take it, naming the upstream, with the same sso: key",
    (kind, provider, who) => {
      const upstream = {
        name: kind === "government" ? "gov" : "social",
        issuer: "https://idp.example/x",
      };
      const login = ssoLoginEvent(
        who,
        "9d0e1f2a-2222-4a57-9d55-2c6f1f7a3a13",
        provider,
        at,
        upstream,
      );
      expect(ssoLoginSchema.parse(login.data)).toMatchObject({
        subject: account.subject,
        provider,
        upstream,
      });
      expect(ssoLoginTouchpoint(ssoLoginSchema.parse(login.data), "7").keys[0]).toBe(
        `sso:${account.subject}`,
      );
      expect(routeCheck("sso.login", "import", login.data)).toEqual({ ok: true });
    },
  );
});

describe("the front office's touchpoints", () => {
  it.each([
    ["a visit", visitTouchpoint("c-1d2e3f", "/items/x", at)],
    [
      "a call-back request",
      callBackTouchpoint({
        name: "Maria Ivanova",
        phone: "+7 912 345-67-89",
        smsConsent: true,
        itemId,
        visitorId: "c-1d2e3f",
        at,
      }),
    ],
    ["an accepted cookie banner", cookieChoiceTouchpoint("c-1d2e3f", "accept", at)],
    ["a refused cookie banner", cookieChoiceTouchpoint("c-1d2e3f", "refuse", at)],
    [
      "an interest from the cabinet",
      interestTouchpoint({ subject: account.subject, email: account.email, itemId, at }),
    ],
  ])(
    "when the site records %s, then CRM's reader and the touchpoints-in route take it",
    (_what, event) => {
      expect(event.topic).toBe("touchpoint.recorded");
      expect(() => touchpointInputSchema.parse(event.data)).not.toThrow();
      expect(routeCheck("touchpoint.recorded", "import", event.data)).toEqual({ ok: true });
    },
  );

  it("when a call-back request gives an SMS consent, then CRM reads that consent", () => {
    const event = callBackTouchpoint({
      name: "Maria Ivanova",
      phone: "+7 912 345-67-89",
      smsConsent: false,
      itemId,
      at,
    });
    expect(touchpointInputSchema.parse(event.data).consent).toEqual({ sms: false });
  });
});

describe("the signed-in person's profile in the cabinet", () => {
  it("when CRM links a person by a sign-in and by a cabinet touchpoint, then both accounts its events carry are among those the cabinet looks up", () => {
    const login = ssoLoginEvent(
      account,
      "9d0e1f2a-2222-4a57-9d55-2c6f1f7a3a14",
      "password",
      at,
      undefined,
    );
    const interest = interestTouchpoint({ subject: account.subject, itemId, at });
    const profile = withTouchpoints(
      emptyProfile("p-1", at.toISOString()),
      [
        ssoLoginTouchpoint(ssoLoginSchema.parse(login.data), "7"),
        toTouchpoint(touchpointInputSchema.parse(interest.data), "t-1", at.toISOString(), "7"),
      ],
      at.toISOString(),
    );
    const { accounts } = profileEventView(profile);
    expect(accounts).toHaveLength(2);
    for (const carried of accounts) expect(accountsOf(account.subject)).toContain(carried);
    expect(accountsOf("someone-else")).not.toContain(accounts[0]);
  });
});

describe("the cookie banner's choice in CRM", () => {
  const asCrmReadsIt = (event: { id: string; data: unknown }) =>
    toTouchpoint(touchpointInputSchema.parse(event.data), event.id, at.toISOString(), "7");

  it("when a visitor accepts and later refuses, then the profile's consent.cookies is the later choice", () => {
    const later = new Date(at.getTime() + 60_000);
    const accepted = asCrmReadsIt(cookieChoiceTouchpoint("c-1d2e3f", "accept", at));
    const refused = asCrmReadsIt(cookieChoiceTouchpoint("c-1d2e3f", "refuse", later));
    const once = withTouchpoints(
      emptyProfile("p-1", at.toISOString()),
      [accepted],
      at.toISOString(),
    );
    expect(once.consent.cookies).toEqual({
      granted: true,
      at: at.toISOString(),
      source: `touchpoint:${accepted.id}`,
    });
    const both = withTouchpoints(once, [refused], later.toISOString());
    expect(both.consent.cookies).toMatchObject({ granted: false, at: later.toISOString() });
    expect(both.hints).toEqual(["cookie:c-1d2e3f"]);
    expect(both.version).toBeGreaterThan(once.version);
  });

  it("when the contracts name the consent kinds, then cookies is one of them beside the contact channels", () => {
    expect(consentKinds).toEqual(["sms", "email", "messenger", "cookies"]);
  });

  it.each([
    [{ cookies: "yes" }, "body.consent.cookies"],
    [{ tracking: true }, "body.consent.tracking"],
  ])("when a touchpoint's consent is %j, then CRM answers 400 naming %s", (consent, field) => {
    const body = { channel: "cookie", identity: { cookieId: "c-1" }, consent };
    try {
      parseInput(touchpointInputSchema, body, "body");
      expect.unreachable("the touchpoint was accepted");
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ status: 400, field });
    }
  });
});

describe("the catalog the front office reads", () => {
  it("when MDM publishes an item, then catalog-out and the front office's reader take it", () => {
    const fields = itemFieldsSchema.parse({
      sku: "SOFA-1",
      name: "Corner sofa",
      description: "Three seats",
      category: "furniture",
      status: "active",
      price: { amount: 799.5, currency: "EUR" },
    });
    const event = itemChanged("updated", {
      ...fields,
      id: itemId,
      version: 3,
      createdAt: at.toISOString(),
      updatedAt: at.toISOString(),
    });
    expect(routeCheck("mdm.item.changed", "export", event.data)).toEqual({ ok: true });
    expect(itemChangedSchema.parse(event.data).item).toMatchObject({
      id: itemId,
      name: "Corner sofa",
      price: { amount: 799.5, currency: "EUR" },
      version: 3,
    });
  });
});

describe("a partner's move from the partner cabinet to the marketplace", () => {
  it("when the cabinet holds a paid order the marketplace published and the partner accepts it, then the import route and the marketplace take the move, and the order the marketplace sends back shows it accepted in the cabinet", () => {
    const paid = sampleOrder("paid");
    // The cabinet's copy of the order, built from the marketplace's own event.
    const created = orderCreatedRecord(orderCreatedSchema.parse(orderCreated(paid).data));
    const copy = toPartnerOrder({ ...created, state: { status: "paid" } } as StoredRecord);
    const request = requestMove({
      order: copy,
      partnerId: paid.partnerId,
      form: { transition: "accept", note: "Tomorrow morning" },
    });
    if (!request.ok) throw new Error(request.message);
    expect(routeCheck(request.event.topic, "import", request.event.data)).toEqual({ ok: true });
    const update = partnerUpdatedSchema.parse(request.event.data);
    if (update.action !== "order.transition") throw new Error(update.action);
    const moved = applyTransition(
      paid,
      update.transition,
      { kind: "partner", id: update.partnerId },
      at.toISOString(),
      update.note,
    );
    const back = orderStatusRecord(orderStatusChangedSchema.parse(orderStatusChanged(moved).data));
    expect(back.state?.status).toBe("accepted");
    expect(partnerMoves({ status: String(back.state?.status) }).map((m) => m.transition)).toEqual([
      "start",
    ]);
  });
});

describe("an order from the user cabinet to the marketplace", () => {
  it("when the marketplace publishes an offer and a person orders it in the cabinet, then the export route and the cabinet take the offer, and the import route and the marketplace take the order", () => {
    const offer = sampleOffer();
    const published = offerChanged(offer, "created");
    expect(routeCheck(published.topic, "export", published.data)).toEqual({ ok: true });
    const record = marketOfferRecord(marketOfferChangedSchema.parse(published.data));
    const copy = toMarketOffer({ id: record.id, facts: record.facts, state: record.state ?? {} });
    expect(copy).toMatchObject({ offerId: offer.id, title: offer.title, status: "active" });
    const request = requestOrder({
      form: {
        requestId: "3c4d5e6f-1a2b-4c3d-9e8f-7a6b5c4d3e2f",
        offerId: offer.id,
        quantity: "3",
        note: "Ring twice",
      },
      offer: copy,
      customerId: "c-7f3a",
      now: at,
    });
    if (!request.ok) throw new Error(request.message);
    expect(routeCheck(request.event.topic, "import", request.event.data)).toEqual({ ok: true });
    expect(orderRequestedSchema.parse(request.event.data)).toMatchObject({
      offerId: offer.id,
      customerId: "c-7f3a",
      quantity: 3,
    });
  });

  it("when the marketplace withdraws the offer, then the cabinet's copy refuses an order of it", () => {
    const withdrawn = offerChanged({ ...sampleOffer("withdrawn"), version: 2 }, "withdrawn");
    const record = marketOfferRecord(marketOfferChangedSchema.parse(withdrawn.data));
    const request = requestOrder({
      form: {
        requestId: "3c4d5e6f-1a2b-4c3d-9e8f-7a6b5c4d3e2f",
        offerId: record.id,
        quantity: "1",
      },
      offer: toMarketOffer({ id: record.id, facts: record.facts, state: record.state ?? {} }),
      customerId: "c-7f3a",
      now: at,
    });
    expect(request).toMatchObject({ ok: false, status: 409 });
  });
});

describe("a partner's offer from the partner cabinet to the marketplace", () => {
  it("when a partner changes the offer the marketplace published, then the import route and the marketplace take the edit at that version, and the offer the marketplace sends back is the one the cabinet edits next", () => {
    const published = sampleOffer();
    const copyOf = (event: ReturnType<typeof offerChanged>) => {
      const record = marketOfferRecord(marketOfferChangedSchema.parse(event.data));
      const copy = toMarketOffer({ id: record.id, facts: record.facts, state: record.state ?? {} });
      if (!copy) throw new Error("no offer");
      return copy;
    };
    const copy = copyOf(offerChanged(published, "created"));
    const request = requestOfferEdit({
      partnerId: published.partnerId,
      current: copy,
      form: {
        offerId: copy.offerId,
        version: String(copy.version),
        title: copy.title,
        description: copy.description,
        category: copy.category,
        unit: copy.unit,
        amount: "400",
        currency: copy.price.currency,
        responseHours: String(copy.sla?.responseHours),
        completionHours: String(copy.sla?.completionHours),
      },
    });
    if (!request.ok) throw new Error(request.message);
    expect(routeCheck(request.event.topic, "import", request.event.data)).toEqual({ ok: true });
    const update = partnerUpdatedSchema.parse(request.event.data);
    if (update.action !== "offer.upsert") throw new Error(update.action);
    expect(update).toMatchObject({ offerId: published.id, version: 1 });
    // The marketplace's updateOffer publishes the new terms at the next version.
    const next = copyOf(offerChanged({ ...published, ...update.offer, version: 2 }, "updated"));
    expect(next).toMatchObject({ version: 2, price: { amount: 400, currency: "RUB" } });
    const withdraw = requestOfferWithdraw({ partnerId: published.partnerId, offer: next });
    if (!withdraw.ok) throw new Error(withdraw.message);
    expect(routeCheck(withdraw.event.topic, "import", withdraw.event.data)).toEqual({ ok: true });
    expect(partnerUpdatedSchema.parse(withdraw.event.data)).toMatchObject({
      action: "offer.withdraw",
      offerId: published.id,
    });
  });
});

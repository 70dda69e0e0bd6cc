import { describe, expect, it } from "vitest";
import type { RecordKind } from "../cabinet-data/record-store.js";
import { memoryRecords, type OwnedRecord } from "../testing/memory-records.js";
import { viewerScope } from "./partner-access.js";
import {
  companyPartnerView,
  marketplacePartnerView,
  ordersCsv,
  partnerOrder,
} from "./partner-data.js";

// The partner cabinets' views over the cabinet's copies (in memory here; the mongoose store
// runs in the browser test), cut by the viewer's scope.

type Row = OwnedRecord;
const rows: Partial<Record<RecordKind, Row[]>> = {
  order: [
    {
      id: "o-1",
      owners: ["customer:p-1", "partner:cleanco"],
      facts: {
        partnerId: "cleanco",
        title: "Flat cleaning",
        amount: 100.1,
        currency: "RUB",
        commission: 15.02,
        partnerPayout: 85.08,
        paidAt: "2026-03-01T11:00:00Z",
        createdAt: "2026-03-01T10:00:00Z",
      },
      state: { status: "paid" },
    },
    {
      id: "o-2",
      owners: ["customer:p-2", "partner:cleanco"],
      facts: {
        partnerId: "cleanco",
        title: "Window, cleaning",
        amount: 50,
        currency: "RUB",
        createdAt: "2026-03-02T10:00:00Z",
      },
      state: { status: "awaiting_payment" },
    },
    {
      id: "o-3",
      owners: ["customer:p-1", "partner:fastfix"],
      facts: {
        partnerId: "fastfix",
        title: "Tap repair",
        amount: 70,
        currency: "RUB",
        createdAt: "2026-03-03T10:00:00Z",
      },
      state: { status: "awaiting_payment" },
    },
  ],
  document: [
    {
      id: "f-1",
      owners: ["sandbox:house-12"],
      facts: {},
      state: { name: "meters.xlsx", version: 2 },
    },
    { id: "f-2", owners: ["sandbox:other"], facts: {}, state: { name: "secret.pdf", version: 1 } },
  ],
  sandbox: [
    {
      id: "house-12|partner:pm-1",
      owners: ["partner:pm-1"],
      facts: { sandboxId: "house-12", title: "House 12" },
      state: { rights: ["read", "write"] },
    },
    {
      id: "old|partner:pm-1",
      owners: ["partner:pm-1"],
      facts: { sandboxId: "old", title: "Old" },
      state: { rights: [] },
    },
    {
      id: "other|partner:pm-2",
      owners: ["partner:pm-2"],
      facts: { sandboxId: "other", title: "Other" },
      state: { rights: ["read"] },
    },
  ],
};
const at = new Date("2026-03-03T10:00:01Z");
const records = memoryRecords(rows, { order: at, document: at, offer: at, sandbox: at });
const cleanco = viewerScope(
  { roles: ["marketplace-partner"], partnerId: "cleanco" },
  "marketplace",
);

describe("the marketplace partner cabinet's data", () => {
  it("when a partner opens its cabinet, then it sees only its requests, its finances and statistics", async () => {
    const view = await marketplacePartnerView(records, cleanco);
    expect(view.requests.map((o) => o.orderId)).toEqual(["o-2", "o-1"]);
    expect(view.finances).toEqual([
      { currency: "RUB", paid: 100.1, commission: 15.02, payout: 85.08, refunded: 0 },
    ]);
    expect(view.statistics).toEqual({ total: 2, byStatus: { awaiting_payment: 1, paid: 1 } });
  });

  it("when a partner asks for another partner's request, then there is none for it; a manager sees it", async () => {
    expect(await partnerOrder(records, cleanco, "o-3")).toBeUndefined();
    expect(await partnerOrder(records, cleanco, "o-1")).toMatchObject({ title: "Flat cleaning" });
    const manager = viewerScope({ roles: ["manager"] }, "marketplace");
    expect(await partnerOrder(records, manager, "o-3")).toMatchObject({ partnerId: "fastfix" });
  });

  it("when the report is downloaded, then it is CSV of the partner's requests, quoted where needed", async () => {
    const csv = ordersCsv((await marketplacePartnerView(records, cleanco)).requests);
    const lines = csv.trim().split("\n");
    expect(lines[0]).toBe(
      "orderId,partnerId,title,quantity,unit,amount,currency,status,createdAt,paidAt,commission,partnerPayout,refundedTotal",
    );
    expect(lines[1]).toBe(
      'o-2,cleanco,"Window, cleaning",,,50,RUB,awaiting_payment,2026-03-02T10:00:00Z,,,,',
    );
    expect(csv).not.toContain("fastfix");
  });
});

describe("the company partner cabinet's data", () => {
  it("when a company partner opens its cabinet, then it sees the sandboxes shared with it (not withdrawn ones, not others') and their files", async () => {
    const view = await companyPartnerView(
      records,
      viewerScope({ roles: ["company-partner"], partnerId: "pm-1" }, "company"),
    );
    expect(view.sandboxes).toEqual([
      {
        sandboxId: "house-12",
        partner: "partner:pm-1",
        title: "House 12",
        rights: ["read", "write"],
        files: [{ fileId: "f-1", name: "meters.xlsx", version: 2 }],
      },
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { ssoAccount } from "@symbiont/contracts";
import { cabinetSignIn } from "../touchpoints/touchpoint-events.js";
import { cabinetData, sectionNote } from "./cabinet-data.js";
import type { CustomerLinks } from "./customer-links.js";
import { memoryRecords, type OwnedRecord } from "../testing/memory-records.js";
import type { RecordKind } from "./record-store.js";

// The cabinet's sections from its copies (in memory here; the mongoose stores run in the
// browser test): whose data is shown, and what each section says about how current it is.

const links: CustomerLinks = {
  apply: async () => undefined,
  profileIdsOf: async (accounts) =>
    accounts.includes(ssoAccount("u-1", cabinetSignIn)) ? ["p-1", "p-0"] : [],
};
const rows: Partial<Record<RecordKind, OwnedRecord[]>> = {
  order: [
    {
      id: "o-1",
      owners: ["customer:p-0"],
      facts: { title: "Delivery", amount: 350, currency: "RUB", createdAt: "2026-03-01T10:00:00Z" },
      state: { status: "paid" },
    },
    {
      id: "o-2",
      owners: ["customer:p-1"],
      facts: { title: "Cleaning", createdAt: "2026-03-02T10:00:00Z" },
      state: {},
    },
    { id: "o-3", owners: ["customer:p-9"], facts: { title: "Someone else's" }, state: {} },
  ],
};
const received: Partial<Record<RecordKind, Date>> = { order: new Date("2026-03-02T10:00:30Z") };
const records = memoryRecords(rows, received);

describe("the unified cabinet's data", () => {
  it("when the person has orders under a merged-away profile too, then all of theirs show, newest first, and no one else's", async () => {
    const data = await cabinetData({ links, records }, "u-1");
    expect(data.linked).toBe(true);
    expect(data.orders.items.map((o) => o.orderId)).toEqual(["o-2", "o-1"]);
    expect(data.orders.items[1]).toMatchObject({ amount: 350, currency: "RUB", status: "paid" });
    expect(data.orders.asOf).toBe("2026-03-02T10:00:30.000Z");
  });

  it("when a module has sent nothing yet, then its section says so and the others still show", async () => {
    const data = await cabinetData({ links, records }, "u-1");
    expect(data.documents).toMatchObject({ source: "files", items: [], asOf: null });
    expect(data.documents.note).toContain("have not arrived from file storage yet");
    expect(data.orders.items).toHaveLength(2);
  });

  it("when CRM has not linked the sign-in yet, then nothing is shown and the cabinet says it is not matched", async () => {
    const data = await cabinetData({ links, records }, "u-2");
    expect(data.linked).toBe(false);
    expect(data.orders.items).toEqual([]);
  });

  it.each([
    ["marketplace", undefined, "Orders have not arrived from the marketplace yet"],
    ["analytics", new Date("2026-03-02T10:00:30Z"), "Offers as of 2026-03-02 10:00 UTC"],
  ] as const)("when %s last sent at %s, then the note reads %s", (source, asOf, text) => {
    expect(sectionNote(source, asOf)).toContain(text);
  });
});

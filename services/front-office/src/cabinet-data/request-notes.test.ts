import { describe, expect, it } from "vitest";
import { memoryRecords } from "../testing/memory-records.js";
import { settledRequestNote } from "./request-notes.js";

// The marketplace's answer to a cabinet's order request (the order placed for it, or the
// refusal) settles the cabinet's note of that request, and nobody else's.

describe("the request notes an answer settles", () => {
  it("when an order or a refusal names the customer and the request, then it settles that customer's note", () => {
    expect(settledRequestNote({ requestId: "r-1", customerId: "p-1" })).toEqual({
      kind: "order-request",
      id: "r-1",
      owners: ["customer:p-1"],
    });
  });

  it("when an answer names no request or no customer (an order placed elsewhere, a partner's refusal), then it settles nothing", () => {
    expect(settledRequestNote({ customerId: "p-1" })).toBeUndefined();
    expect(settledRequestNote({ requestId: "r-1" })).toBeUndefined();
    expect(settledRequestNote({ requestId: "", customerId: "p-1" })).toBeUndefined();
  });

  it("when a settled note is removed, then only its owner's note goes: another customer's note of the same request id stays", async () => {
    const records = memoryRecords({
      "order-request": [
        { id: "r-1", owners: ["customer:p-2"], facts: { quantity: 1 }, state: {} },
        { id: "r-2", owners: ["customer:p-1"], facts: { quantity: 2 }, state: {} },
      ],
    });
    const note = settledRequestNote({ requestId: "r-1", customerId: "p-1" })!;
    await records.remove(note.kind, note.id, note.owners);
    expect((await records.listAll("order-request")).map((r) => r.id).sort()).toEqual([
      "r-1",
      "r-2",
    ]);
    const own = settledRequestNote({ requestId: "r-2", customerId: "p-1" })!;
    await records.remove(own.kind, own.id, own.owners);
    await records.remove(own.kind, own.id, own.owners);
    expect((await records.listAll("order-request")).map((r) => r.id)).toEqual(["r-1"]);
  });
});

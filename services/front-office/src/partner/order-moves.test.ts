import { describe, expect, it } from "vitest";
import { partnerMoves, requestMove } from "./order-moves.js";
import type { PartnerOrder } from "./partner-data.js";

const order = (status: string): PartnerOrder => ({
  orderId: "8b0c5d0e-8f3e-4a4b-9b7a-3f1d2c4e5a6b",
  partnerId: "cleanco",
  title: "Window cleaning",
  status,
});

describe("a marketplace partner moving its request from the cabinet", () => {
  it("when a paid request is open, then the partner is offered to accept or decline it", () => {
    expect(partnerMoves(order("paid"))).toEqual([
      { transition: "accept", label: "Accept the request" },
      { transition: "decline", label: "Decline the request" },
    ]);
    expect(partnerMoves(order("completed"))).toEqual([]);
  });

  it("when the partner accepts a paid request with a note, then the event asks the marketplace for exactly that, keyed by the status it leaves", () => {
    const request = requestMove({
      order: order("paid"),
      partnerId: "cleanco",
      form: { transition: "accept", note: "  Tuesday, 10:00  " },
    });
    expect(request).toEqual({
      ok: true,
      event: {
        id: "marketplace.partner.updated:8b0c5d0e-8f3e-4a4b-9b7a-3f1d2c4e5a6b:paid:accept",
        topic: "marketplace.partner.updated",
        data: {
          action: "order.transition",
          partnerId: "cleanco",
          orderId: "8b0c5d0e-8f3e-4a4b-9b7a-3f1d2c4e5a6b",
          transition: "accept",
          note: "Tuesday, 10:00",
        },
      },
    });
  });

  it("when the form names no transition or an unknown one, then it is refused (400) naming the choices", () => {
    for (const transition of [undefined, "", "toString", "teleport"])
      expect(
        requestMove({ order: order("paid"), partnerId: "cleanco", form: { transition } }),
      ).toEqual({
        ok: false,
        status: 400,
        field: "transition",
        message: "Choose one of: accept, decline.",
      });
  });

  it("when the move does not fit the request's status, then it is refused (409) saying what can be done", () => {
    expect(
      requestMove({ order: order("paid"), partnerId: "cleanco", form: { transition: "complete" } }),
    ).toEqual({
      ok: false,
      status: 409,
      field: "transition",
      message: "This request is paid: you can accept or decline it.",
    });
    expect(
      requestMove({
        order: order("refunded"),
        partnerId: "cleanco",
        form: { transition: "accept" },
      }),
    ).toMatchObject({
      ok: false,
      status: 409,
      message: expect.stringContaining("nothing for you"),
    });
    // Payment and refunds come from the acquirer, never from the cabinet.
    expect(
      requestMove({ order: order("paid"), partnerId: "cleanco", form: { transition: "refund" } }),
    ).toMatchObject({ ok: false, status: 409 });
  });

  it("when the note is longer than the marketplace keeps, then it is refused (400) naming the note", () => {
    expect(
      requestMove({
        order: order("paid"),
        partnerId: "cleanco",
        form: { transition: "accept", note: "x".repeat(1_001) },
      }),
    ).toEqual({
      ok: false,
      status: 400,
      field: "note",
      message: "Keep the note within 1000 characters (it has 1001).",
    });
  });

  it("when the request's id is not one the marketplace takes, then nothing is sent and the partner is told whom to ask", () => {
    const request = requestMove({
      order: { ...order("paid"), orderId: "o-1" },
      partnerId: "cleanco",
      form: { transition: "accept" },
    });
    expect(request).toMatchObject({
      ok: false,
      status: 409,
      message: expect.stringContaining("orderId"),
    });
  });
});

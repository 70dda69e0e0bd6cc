import { describe, expect, it } from "vitest";
import { testSession } from "../testing/test-session.js";
import { companyPartnerPage, marketplacePartnerPage, partnerOrderPage } from "./partner-pages.js";

// The partner cabinets' pages as a person reads them (the browser test checks them in chromium).

const session = testSession({
  name: "Ivan <Cleanco>",
  roles: ["marketplace-partner"],
  partnerId: "cleanco",
});
const order = {
  orderId: "o-1",
  partnerId: "cleanco",
  title: "Flat cleaning",
  quantity: 2,
  unit: "visit",
  amount: 100,
  currency: "RUB",
  status: "awaiting_payment",
  createdAt: "2026-03-01T10:00:00Z",
};

describe("the partner cabinets' pages", () => {
  it("when a partner has requests and payments, then the page shows the four parts and escapes names", () => {
    const html = marketplacePartnerPage(
      session,
      {
        requests: [order],
        finances: [{ currency: "RUB", paid: 100, commission: 15, payout: 85, refunded: 0 }],
        statistics: { total: 1, byStatus: { awaiting_payment: 1 } },
        asOf: "2026-03-01T10:00:01.000Z",
        note: "Orders as of 2026-03-01 10:00 UTC",
      },
      false,
    );
    for (const text of [
      "Requests from users",
      "Finances",
      "Statistics",
      "Reports",
      "Flat cleaning × 2 visit",
      "100.00 RUB",
      "awaiting payment",
      "85.00",
    ])
      expect(html).toContain(text);
    expect(html).not.toContain("<Cleanco>");
    expect(html).not.toContain('<th scope="col">Partner</th>');
  });

  it("when a request is opened, then its payout says it comes after payment", () => {
    expect(partnerOrderPage(session, order)).toContain("after payment");
  });

  it("when a partner opens its paid request, then it is offered to accept or decline it, with a note", () => {
    const html = partnerOrderPage(session, { ...order, status: "paid" }, { canMove: true });
    expect(html).toContain('<form method="post" action="/orders/o-1/moves">');
    expect(html).toMatch(
      /<button type="submit" name="transition" value="accept">\s*Accept the request/,
    );
    expect(html).toMatch(/value="decline">\s*Decline the request/);
    expect(html).toContain('<label for="note">');
    expect(html).not.toContain('value="start"');
  });

  it("when a manager opens a request, then it sees no buttons and where managers move orders", () => {
    const html = partnerOrderPage(session, { ...order, status: "paid" }, { canMove: false });
    expect(html).not.toContain('<form method="post" action="/orders/');
    expect(html).toContain("operator API");
  });

  it("when a move was just sent or refused, then the page says so, the refusal as an alert on the field", () => {
    const sent = partnerOrderPage(
      session,
      { ...order, status: "paid" },
      { canMove: true, sent: { transition: "accept", label: "Accept the request" } },
    );
    expect(sent).toMatch(/role="status">\s*Sent: accept the request\. The status here changes/);
    // The same buttons again would only send the same move: the page links to a fresh look.
    expect(sent).not.toContain('value="accept"');
    expect(sent).toContain('<a href="/orders/o-1">');
    const refused = partnerOrderPage(
      session,
      { ...order, status: "paid" },
      {
        canMove: true,
        error: { field: "note", message: "Keep the note within 1000 characters (it has 1001)." },
        note: "<b>long</b>",
      },
    );
    expect(refused).toContain('role="alert" id="move-error">Keep the note within 1000');
    expect(refused).toContain('aria-invalid="true" aria-describedby="move-error"');
    expect(refused).toContain("&#60;b&#62;long&#60;/b&#62;</textarea>");
  });

  it("when nothing is shared with a company partner, then the page says so", () => {
    const html = companyPartnerPage(
      session,
      { sandboxes: [], asOf: null, note: "Documents have not arrived" },
      false,
    );
    expect(html).toContain("Nothing is shared with you yet.");
    expect(html).toContain("Documents have not arrived");
  });
});

import { describe, expect, it } from "vitest";
import { identityKeys, normaliseCard, normaliseEmail, normalisePhone } from "./identity-keys.js";

describe("identity keys", () => {
  it.each([
    ["Anna.Smith@Example.com", "anna.smith@example.com"],
    ["  anna+shop@example.com ", "anna@example.com"],
    ["Anna.Smith+x@gmail.com", "annasmith@gmail.com"],
    ["a.s@googlemail.com", "as@gmail.com"],
    ["not-an-email", undefined],
    ["@example.com", undefined],
  ])("when the e-mail is %j, then its key is %j", (raw, expected) => {
    expect(normaliseEmail(raw)).toBe(expected);
  });

  it.each([
    ["+7 (912) 345-67-89", "79123456789"],
    ["8 912 345 67 89", "79123456789"],
    ["0079123456789", "79123456789"],
    ["912-345-6789", "79123456789"],
    ["+44 20 7946 0958", "442079460958"],
    ["12-34", undefined],
  ])("when the phone is %j, then its key is %j", (raw, expected) => {
    expect(normalisePhone(raw, "7")).toBe(expected);
  });

  it("when the default country code is 1, then a national number gets it", () => {
    expect(normalisePhone("(415) 555-0132", "1")).toBe("14155550132");
  });

  it.each([
    ["lc-1234 5678", "LC12345678"],
    ["12", undefined],
  ])("when the loyalty card is %j, then its key is %j", (raw, expected) => {
    expect(normaliseCard(raw)).toBe(expected);
  });

  it("when a touchpoint has every identifier, then its keys come strongest first and the cookie is no key", () => {
    expect(
      identityKeys({
        email: "A@B.io",
        phone: "+7 912 345 67 89",
        loyaltyCard: "c-1234",
        sso: { provider: "Gov", subject: "S-1" },
        cookieId: "ck",
      }),
    ).toEqual(["sso:gov:S-1", "card:C1234", "email:a@b.io", "phone:79123456789"]);
  });

  it("when two spellings of one person's identifiers are given, then they make the same keys", () => {
    const a = identityKeys({ email: "John.Doe+promo@Gmail.com", phone: "8 (912) 000-11-22" });
    const b = identityKeys({ email: "johndoe@gmail.com", phone: "+79120001122" });
    expect(a).toEqual(b);
  });
});

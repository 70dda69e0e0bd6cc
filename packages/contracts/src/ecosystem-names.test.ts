import { describe, expect, it } from "vitest";
import { partnerPreviousSecretEnv, partnerSecretEnv } from "./ecosystem-names.js";

describe("partnerSecretEnv", () => {
  it("when partners' names differ, then their credentials' variables differ", () => {
    const names = ["pay-x", "payx", "pay-x1", "pay1-x", "p-a-y", "pa-y", "p-ay", "pay--x", "sms"];
    const variables = names.map(partnerSecretEnv);
    expect(new Set(variables).size).toBe(names.length);
    expect(partnerSecretEnv("pay-x")).toBe("SYMBIONT_PARTNER_PAY_X_SECRET");
  });

  it("when a partner's key is rotated, then its previous key's variable is no other partner's", () => {
    const names = ["a", "a-previous", "a-secret", "a-secret-previous", "sms", "sms-previous"];
    const variables = [...names.map(partnerSecretEnv), ...names.map(partnerPreviousSecretEnv)];
    expect(new Set(variables).size).toBe(names.length * 2);
    expect(partnerPreviousSecretEnv("pay-x")).toBe("SYMBIONT_PARTNER_PAY_X_SECRET_PREVIOUS");
  });

  it.each(["pay.x", "Pay", "pay_x", "-pay", "pay-", ""])(
    "when a partner is named %j, then no variable is made for it (it would collide or is no name)",
    (name) => {
      expect(() => partnerSecretEnv(name)).toThrow(/use lowercase letters, digits and '-'/);
    },
  );
});

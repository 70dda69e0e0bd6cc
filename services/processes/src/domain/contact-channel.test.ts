import { describe, expect, it } from "vitest";
import type { CustomerContact } from "../data/customer-store.js";
import { contactChannel } from "./contact-channel.js";

// Which channel a client's message goes through, from what CRM said of them.

const client = (fields: Partial<CustomerContact>): CustomerContact => ({
  id: "c-1",
  version: 1,
  phone: "+79161234567",
  smsConsent: false,
  ...fields,
});

describe("the channel a message to a client goes through", () => {
  it.each([
    [
      "prefers the messenger, agreed to both",
      { smsConsent: true, messengerConsent: true, preferredChannel: "messenger" },
      "messenger",
    ],
    [
      "prefers SMS, agreed to both",
      { smsConsent: true, messengerConsent: true, preferredChannel: "sms" },
      "sms",
    ],
    ["prefers nothing, agreed to both", { smsConsent: true, messengerConsent: true }, "sms"],
    [
      "prefers the messenger, agreed to SMS only",
      { smsConsent: true, preferredChannel: "messenger" },
      "sms",
    ],
    [
      "prefers e-mail (no partner), agreed to the messenger",
      { messengerConsent: true, preferredChannel: "email" },
      "messenger",
    ],
    ["prefers the messenger, agreed to nothing", { preferredChannel: "messenger" }, undefined],
    ["has no phone", { phone: undefined, smsConsent: true, messengerConsent: true }, undefined],
  ] as const)("when the client %s, then %s", (_who, fields, expected) => {
    expect(contactChannel(client(fields))).toBe(expected);
  });

  it("when CRM does not know the client, then there is no channel", () => {
    expect(contactChannel(undefined)).toBeUndefined();
  });
});

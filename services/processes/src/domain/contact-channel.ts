import type { CustomerContact } from "../data/customer-store.js";

// The channel a message to a client goes through: the one they prefer when they agreed to it
// and the module has a partner for it, else SMS, else the messenger, with consent; none when
// there is no phone or no consent. Both channels reach the client by their phone.

export const messageChannels = ["sms", "messenger"] as const;
export type MessageChannel = (typeof messageChannels)[number];

export function contactChannel(contact: CustomerContact | undefined): MessageChannel | undefined {
  if (!contact?.phone) return undefined;
  const allowed: Record<MessageChannel, boolean> = {
    sms: contact.smsConsent,
    messenger: contact.messengerConsent === true,
  };
  const preferred = messageChannels.find((c) => c === contact.preferredChannel);
  if (preferred && allowed[preferred]) return preferred;
  return messageChannels.find((c) => allowed[c]);
}

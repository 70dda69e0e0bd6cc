import {
  cookieHint,
  identityKeys,
  touchpointInputSchema,
  touchpointRecordedTopic,
} from "@symbiont/crm";
import { reader, timeOf } from "./fact-reader.js";

// `touchpoint.recorded` from the channels, read with CRM's own schema so both modules accept
// the same touchpoints, and keyed with CRM's own normalisation so a touchpoint finds the
// profile CRM filed it in. Without identity keys, the cookie names an anonymous visitor.

export { touchpointRecordedTopic };

export const readTouchpointRecorded = reader(touchpointInputSchema, (touchpoint, context) => {
  const keys = identityKeys(touchpoint.identity, context.defaultCountryCode);
  const hint = cookieHint(touchpoint.identity);
  return [
    {
      kind: "touchpoint",
      touchpointId: touchpoint.id ?? context.eventId,
      channel: touchpoint.channel,
      keys: keys.length > 0 ? keys : hint ? [hint] : [],
      interests: touchpoint.interests ?? [],
      at: timeOf(context, touchpoint.occurredAt),
    },
  ];
});

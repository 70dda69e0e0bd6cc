import { identityKeys } from "@symbiont/crm";
import { z } from "zod";
import { entityId, reader, time, timeOf } from "./fact-reader.js";

// `meeting.booked` from the front office (EVENTS.md). Payload as analytics reads it
// (docs/module-contract.md, "analytics"): `{meetingId, customerId?, identity?: {email?,
// phone?}, managerId?, bookedAt?}`: the customer by unified id, else by identity keys.

export const meetingBookedTopic = "meeting.booked";

export const readMeetingBooked = reader(
  z.object({
    meetingId: entityId,
    customerId: entityId.optional(),
    identity: z
      .object({ email: z.string().max(254).optional(), phone: z.string().max(32).optional() })
      .optional(),
    managerId: entityId.optional(),
    bookedAt: time.optional(),
  }),
  (meeting, context) => [
    {
      kind: "meeting",
      meetingId: meeting.meetingId,
      ...(meeting.customerId === undefined ? {} : { customerId: meeting.customerId }),
      keys: meeting.identity ? identityKeys(meeting.identity, context.defaultCountryCode) : [],
      ...(meeting.managerId === undefined ? {} : { managerId: meeting.managerId }),
      at: timeOf(context, meeting.bookedAt),
    },
  ],
);

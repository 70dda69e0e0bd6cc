import { z } from "zod";

// `meeting.booked`: a meeting a client booked in the user cabinet (front office). The route
// `meetings-in` imports it into the core, where it starts the processes module's client
// meeting and analytics counts it. The cabinet builds the event with this schema and the
// processes module reads it with the same one.

export const meetingBookedTopic = "meeting.booked";

const id = z.string().regex(/^[A-Za-z0-9_.:@-]{1,128}$/, "1-128 of A-Z a-z 0-9 _ . : @ -");
const time = z.iso.datetime({ offset: true });

/** Where the meeting takes place. */
export const meetingPlaces = ["office", "video call", "phone call"] as const;

export const meetingBookedSchema = z.looseObject({
  meetingId: id,
  /** The client's CRM profile id. */
  customerId: id,
  /** The manager who meets the client. */
  managerId: id,
  meetingAt: time,
  bookedAt: time.optional(),
  place: z.string().max(200).optional(),
});
export type MeetingBooked = z.infer<typeof meetingBookedSchema>;

import { randomUUID } from "node:crypto";
import {
  meetingBookedSchema,
  meetingBookedTopic,
  meetingPlaces,
  type MeetingBooked,
} from "@symbiont/contracts";
import type { OutgoingEvent } from "@symbiont/service-kit";

// Booking a meeting with a manager in the user cabinet: the person picks a time and a place;
// the cabinet publishes `meeting.booked` (the contract in @symbiont/contracts), which the route
// `meetings-in` carries into the core (the processes module's client meeting, analytics).

/** The earliest a meeting can be booked from now, and the latest. */
const earliestMs = 60 * 60_000;
const latestMs = 90 * 86_400_000;

export interface MeetingForm {
  /** `YYYY-MM-DDTHH:MM` from the form's datetime-local field, in UTC. */
  meetingAt?: unknown;
  place?: unknown;
}

export type MeetingBooking =
  | { ok: true; event: OutgoingEvent<MeetingBooked>; meetingAt: Date }
  | { ok: false; field: "meetingAt" | "place"; message: string };

export function bookMeeting(input: {
  form: MeetingForm;
  customerId: string;
  managerId: string;
  now: Date;
}): MeetingBooking {
  const { form, now } = input;
  const text = typeof form.meetingAt === "string" ? form.meetingAt.trim() : "";
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(text))
    return { ok: false, field: "meetingAt", message: "Choose the date and time of the meeting." };
  const meetingAt = new Date(`${text}:00Z`);
  // JavaScript rolls 31 February over into March: a date that does not read back is refused.
  if (Number.isNaN(meetingAt.getTime()) || meetingAt.toISOString().slice(0, 16) !== text)
    return { ok: false, field: "meetingAt", message: "This date does not exist." };
  if (meetingAt.getTime() < now.getTime() + earliestMs)
    return {
      ok: false,
      field: "meetingAt",
      message: "Choose a time at least an hour from now.",
    };
  if (meetingAt.getTime() > now.getTime() + latestMs)
    return { ok: false, field: "meetingAt", message: "Choose a time within the next 90 days." };
  if (!(meetingPlaces as readonly unknown[]).includes(form.place))
    return {
      ok: false,
      field: "place",
      message: `Choose where to meet: ${meetingPlaces.join(", ")}.`,
    };
  const data = meetingBookedSchema.parse({
    meetingId: `meeting-${randomUUID()}`,
    customerId: input.customerId,
    managerId: input.managerId,
    meetingAt: meetingAt.toISOString(),
    bookedAt: now.toISOString(),
    place: form.place,
  });
  return {
    ok: true,
    meetingAt,
    event: { id: `${meetingBookedTopic}:${data.meetingId}`, topic: meetingBookedTopic, data },
  };
}

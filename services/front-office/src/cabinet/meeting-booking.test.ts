import { meetingBookedSchema } from "@symbiont/contracts";
import { describe, expect, it } from "vitest";
import { bookMeeting } from "./meeting-booking.js";

const now = new Date("2026-12-02T09:00:00Z");
const book = (form: { meetingAt?: unknown; place?: unknown }) =>
  bookMeeting({ form, customerId: "p-1", managerId: "duty-manager", now });

describe("booking a meeting in the cabinet", () => {
  it("when a time and a place are chosen, then meeting.booked carries them as the processes module reads them", () => {
    const booking = book({ meetingAt: "2026-12-03T10:30", place: "video call" });
    expect(booking.ok).toBe(true);
    if (!booking.ok) return;
    expect(booking.event.topic).toBe("meeting.booked");
    expect(booking.event.data).toMatchObject({
      customerId: "p-1",
      managerId: "duty-manager",
      meetingAt: "2026-12-03T10:30:00.000Z",
      bookedAt: "2026-12-02T09:00:00.000Z",
      place: "video call",
    });
    expect(meetingBookedSchema.safeParse(booking.event.data).success).toBe(true);
    expect(booking.event.id).toBe(`meeting.booked:${booking.event.data.meetingId}`);
  });

  it.each([
    [{ place: "office" }, "meetingAt", "Choose the date and time of the meeting."],
    [
      { meetingAt: "tomorrow", place: "office" },
      "meetingAt",
      "Choose the date and time of the meeting.",
    ],
    [{ meetingAt: "2026-02-31T10:00", place: "office" }, "meetingAt", "This date does not exist."],
    [
      { meetingAt: "2026-12-02T09:30", place: "office" },
      "meetingAt",
      "Choose a time at least an hour from now.",
    ],
    [
      { meetingAt: "2027-06-01T10:00", place: "office" },
      "meetingAt",
      "Choose a time within the next 90 days.",
    ],
    [
      { meetingAt: "2026-12-03T10:30", place: "the moon" },
      "place",
      "Choose where to meet: office, video call, phone call.",
    ],
  ])("when the form is %j, then %s is refused: %s", (form, field, message) => {
    expect(book(form)).toEqual({ ok: false, field, message });
  });
});

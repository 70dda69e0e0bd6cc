import { describe, expect, it } from "vitest";
import { meetingBookedSchema } from "../events/consumed-topics.js";
import { clientMeetingStart } from "./client-meeting.js";
import type { ProcessSettings } from "./processes-deps.js";

const settings: ProcessSettings = {
  remindBefore: "PT2H",
  checklistDueAfter: "PT4H",
  approvalDueIn: "P1D",
  approvers: { "m-petrova": "head-east" },
  defaultApprover: "head-of-sales",
  contractsSandbox: "contracts",
  definitionsDir: "/nowhere",
};
const meeting = meetingBookedSchema.parse({
  meetingId: "mt-1",
  customerId: "c-1",
  managerId: "m-petrova",
  meetingAt: "2026-12-02T10:00:00+03:00",
  bookedAt: "2026-12-01T09:00:00Z",
});

describe("starting the client-meeting process from a booked meeting", () => {
  it("when a meeting is booked, then the reminder, checklist due date and approver follow from it", () => {
    expect(clientMeetingStart(meeting, settings)).toEqual({
      definitionKey: "client-meeting",
      businessKey: "meeting:mt-1",
      variables: {
        meetingId: "mt-1",
        customerId: "c-1",
        managerId: "m-petrova",
        approverId: "head-east",
        meetingAt: "2026-12-02T07:00:00.000Z",
        meetingTime: "2026-12-02 07:00 UTC",
        remindAt: "2026-12-02T05:00:00.000Z",
        checklistDueAt: "2026-12-02T11:00:00.000Z",
        approvalDueIn: "P1D",
      },
    });
  });

  it("when the manager has no approver of their own, then the default approves", () => {
    const start = clientMeetingStart({ ...meeting, managerId: "m-other" }, settings);
    expect(start.variables.approverId).toBe("head-of-sales");
  });

  it.each([
    [{ ...meeting, meetingAt: "tomorrow" }, "meetingAt"],
    [{ ...meeting, customerId: undefined }, "customerId"],
    [{ ...meeting, managerId: "m 1" }, "managerId"],
  ])("when the booking carries %j, then it is refused naming %s", (data, field) => {
    const result = meetingBookedSchema.safeParse(data);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([field]);
  });
});

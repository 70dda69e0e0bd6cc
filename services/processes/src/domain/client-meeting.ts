import type { MeetingBooked } from "../events/consumed-topics.js";
import { shift } from "./duration.js";
import type { ProcessSettings } from "./processes-deps.js";

// The client-meeting process (MISSION C4, T1; definitions/client-meeting.bpmn) is started by
// `meeting.booked`. Its variables are computed here from the meeting and the settings: when
// the reminder goes out, when the checklist is due, who approves the contract.

export const clientMeetingKey = "client-meeting";

export interface ProcessStart {
  definitionKey: string;
  businessKey: string;
  variables: Record<string, string>;
}

export function clientMeetingStart(
  meeting: MeetingBooked,
  settings: ProcessSettings,
): ProcessStart {
  const meetingAt = new Date(meeting.meetingAt);
  return {
    definitionKey: clientMeetingKey,
    // One process per meeting, however many times the booking is told.
    businessKey: `meeting:${meeting.meetingId}`,
    variables: {
      meetingId: meeting.meetingId,
      customerId: meeting.customerId,
      managerId: meeting.managerId,
      approverId: settings.approvers[meeting.managerId] ?? settings.defaultApprover,
      meetingAt: meetingAt.toISOString(),
      meetingTime: `${meetingAt.toISOString().slice(0, 16).replace("T", " ")} UTC`,
      ...(meeting.place ? { place: meeting.place } : {}),
      remindAt: shift(meetingAt, settings.remindBefore, -1).toISOString(),
      checklistDueAt: shift(meetingAt, settings.checklistDueAfter).toISOString(),
      approvalDueIn: settings.approvalDueIn,
    },
  };
}

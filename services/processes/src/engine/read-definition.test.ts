import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { engineServiceNames } from "../domain/engine-services.js";
import { readDefinition } from "./read-definition.js";

const clientMeeting = readFileSync(
  new URL("../../definitions/client-meeting.bpmn", import.meta.url),
  "utf8",
);
const read = (xml: string) => readDefinition(xml, engineServiceNames);

/** A one-process document around `body`. */
const bpmn = (body: string, process = 'id="p-1" isExecutable="true"') =>
  `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:s="https://symbiont.dev/schema/bpmn" id="d" targetNamespace="t">
  <process ${process}><startEvent id="start" />${body}</process>
</definitions>`;

describe("reading a process definition", () => {
  it("when the client-meeting file is read, then its tasks, assignees, texts and waits are known", async () => {
    const model = await read(clientMeeting);
    expect(model.key).toBe("client-meeting");
    expect(model.activities.get("meeting-checklist")).toMatchObject({
      type: "bpmn:UserTask",
      assignee: "${environment.variables.managerId}",
      attrs: { dueDate: "${environment.variables.checklistDueAt}" },
    });
    expect(model.activities.get("approve-contract")?.assignee).toBe(
      "${environment.variables.approverId}",
    );
    expect(model.activities.get("send-reminder")).toMatchObject({
      service: "sendMessage",
      attrs: { text: expect.stringContaining("${environment.variables.meetingTime}") },
    });
    expect(model.activities.get("contract-stored")?.message).toBe("document.stored");
  });

  it("when attributes use another prefix for Symbiont's namespace, then they are read the same", async () => {
    const model = await read(
      bpmn(
        '<userTask id="t" s:dueIn="PT1H"><potentialOwner><resourceAssignmentExpression><formalExpression>m-1</formalExpression></resourceAssignmentExpression></potentialOwner></userTask>',
      ),
    );
    expect(model.activities.get("t")).toMatchObject({ assignee: "m-1", attrs: { dueIn: "PT1H" } });
  });

  it.each([
    ["XML that does not parse", "<definitions><process id='x'><task", "unreadable XML"],
    [
      "a document with no executable process",
      bpmn("", 'id="p-1"'),
      "expected one executable process",
    ],
    [
      "a process id that is not a key",
      bpmn("", 'id="NotAKey" isExecutable="true"'),
      'process id "NotAKey"',
    ],
    ["a user task nobody does", bpmn('<userTask id="review" />'), "UserTask review: no assignee"],
    [
      "a service the module does not offer",
      bpmn('<serviceTask id="pay" implementation="${environment.services.chargeCard}" />'),
      "unknown service chargeCard",
    ],
    [
      "a service task without an implementation",
      bpmn('<serviceTask id="call" />'),
      "ServiceTask call: implementation must be",
    ],
    [
      "a script task",
      bpmn('<scriptTask id="js" scriptFormat="javascript"><script>next()</script></scriptTask>'),
      "script tasks are not run",
    ],
    [
      "a receive task without a message",
      bpmn('<receiveTask id="wait" />'),
      "ReceiveTask wait: messageRef",
    ],
    [
      "a flow to an element that does not exist",
      bpmn('<sequenceFlow id="f" sourceRef="start" targetRef="nowhere" />'),
      "unresolved reference <nowhere>",
    ],
  ])("when it is %s, then it is refused with the reason", async (_what, xml, reason) => {
    await expect(read(xml)).rejects.toMatchObject({
      status: 400,
      code: "InvalidDefinition",
      message: expect.stringContaining(reason),
    });
  });
});

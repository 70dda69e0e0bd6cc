import { describe, expect, it } from "vitest";
import { CallCentre, type QueueSpec } from "./call-centre.js";

// The telephony partner's IVR, queues and managers' load, without a network: what each key
// does to a call, who takes a waiting call, and what a callback request says.

const queues: QueueSpec[] = [
  { name: "sales", key: "1", managers: ["m-1", "m-2"] },
  { name: "support", key: "2", managers: ["m-3"] },
];

function centre(): CallCentre {
  let ids = 0;
  return new CallCentre(queues, {
    now: () => new Date("2026-12-01T09:00:00Z"),
    newId: () => String(++ids),
  });
}

describe("the IVR and the queues", () => {
  it.each([
    ["1", { state: "connected", ivrChoice: "1", queue: "sales", managerId: "m-1" }],
    ["2", { state: "connected", ivrChoice: "2", queue: "support", managerId: "m-3" }],
    ["1*", { state: "callback", ivrChoice: "1", queue: "sales" }],
  ])("when a caller presses %s, then the call is %o", (digits, expected) => {
    const calls = centre();
    const { id } = calls.arrive("+79160000001");
    expect(calls.press(id, digits).call).toMatchObject(expected);
  });

  it.each([
    ["7", /key 7 is not in the menu \(1: sales, 2: support\)/],
    ["12", /waiting in sales: only \*/],
  ])("when a caller presses %s, then it is refused: %s", (digits, message) => {
    const calls = centre();
    const { id } = calls.arrive("+79160000001");
    expect(() => calls.press(id, digits)).toThrow(message);
  });

  it("when both managers of a queue are on calls, then the next caller waits, and takes the first one freed", () => {
    const calls = centre();
    const first = calls.press(calls.arrive("+79160000001").id, "1").call;
    const second = calls.press(calls.arrive("+79160000002").id, "1").call;
    const third = calls.press(calls.arrive("+79160000003").id, "1").call;
    expect([first.managerId, second.managerId, third.state]).toEqual(["m-1", "m-2", "queued"]);
    expect(calls.load().queues[0]!.waiting).toEqual([third.id]);
    calls.hangUp(second.id);
    expect(calls.load().agents).toEqual([
      { managerId: "m-1", status: "busy", callId: first.id, calls: 1 },
      { managerId: "m-2", status: "busy", callId: third.id, calls: 2 },
      { managerId: "m-3", status: "free", calls: 0 },
    ]);
    expect(() => calls.press(second.id, "1")).toThrow(/is ended/);
  });

  it("when a caller asks to be called back, then the request names the number, the queue, the key and who is busy", () => {
    const calls = centre();
    calls.press(calls.arrive("+79160000001").id, "1");
    const { callback } = calls.press(calls.arrive("+79160000002").id, "1*");
    expect(callback).toEqual({
      requestId: expect.stringMatching(/^cb-/),
      phone: "+79160000002",
      queue: "sales",
      ivrChoice: "1",
      requestedAt: "2026-12-01T09:00:00.000Z",
      agents: [
        { managerId: "m-1", status: "busy" },
        { managerId: "m-2", status: "free" },
      ],
    });
    // A waiting caller may ask too; a form asks without a call (no key pressed).
    expect(calls.requestCallback("+79160000003", "support")).not.toHaveProperty("ivrChoice");
    expect(() => calls.requestCallback("+79160000003", "billing")).toThrow(/no queue billing/);
  });
});

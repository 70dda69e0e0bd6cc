import { afterEach, describe, expect, it } from "vitest";
import { callbackRequestedSchema } from "../events/consumed-topics.js";
import { memoryDeps, type MemoryDeps } from "../testing/memory-deps.js";
import { assignCallback } from "./callback-request.js";
import { chooseManager, type Agent } from "./choose-manager.js";
import { ProcessEngine } from "./process-engine.js";

// Who calls a client back, as a table; then callback requests run on the real engine over the
// module's stores kept in memory: each becomes a task for the manager chosen, counted at once.

const free = (managerId: string): Agent => ({ managerId, status: "free" });
const busy = (managerId: string): Agent => ({ managerId, status: "busy" });

describe("choosing the manager who calls back", () => {
  it.each([
    ["the free one when the other is on a call", [busy("m-1"), free("m-2")], {}, "m-2"],
    ["the less loaded of two free", [free("m-1"), free("m-2")], { "m-1": 3, "m-2": 1 }, "m-2"],
    ["a free one even if busier", [busy("m-1"), free("m-2")], { "m-1": 0, "m-2": 5 }, "m-2"],
    ["the first listed on a tie", [free("m-2"), free("m-1")], { "m-1": 1, "m-2": 1 }, "m-2"],
    ["the least loaded when all are on calls", [busy("m-1"), busy("m-2")], { "m-1": 2 }, "m-2"],
    ["nobody when the queue has no one", [], {}, undefined],
  ])(
    "when the manager is %s, then the choice is deterministic",
    (_what, agents, loads, expected) => {
      const open = new Map(Object.entries(loads as Record<string, number>));
      expect(chooseManager(agents, open)).toBe(expected);
      // Deterministic: the same input, the same manager.
      expect(chooseManager(agents, open)).toBe(chooseManager([...agents], new Map(open)));
    },
  );
});

const engines: ProcessEngine[] = [];
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.stop();
});

async function startedEngine(deps: MemoryDeps): Promise<ProcessEngine> {
  const engine = new ProcessEngine(deps);
  engines.push(engine);
  await engine.deployFolder();
  return engine;
}

const request = (requestId: string, agents: Agent[]) =>
  callbackRequestedSchema.parse({
    requestId,
    phone: "+79161234567",
    queue: "sales",
    ivrChoice: "1",
    requestedAt: "2026-12-01T09:00:00Z",
    agents,
  });

describe("a callback request on the engine", () => {
  it("when a client asks to be called back, then the free manager gets a task naming the number, due in an hour, with the client CRM knows", async () => {
    const deps = memoryDeps();
    await deps.customers.upsert({
      id: "c-1",
      version: 1,
      phone: "+79161234567",
      smsConsent: false,
    });
    const engine = await startedEngine(deps);
    const outcome = await assignCallback(
      deps,
      engine,
      request("cb-1", [busy("m-1"), free("m-2")]),
      "test",
    );
    expect(outcome).toMatchObject({ managerId: "m-2", created: true });
    const [task] = await deps.tasks.list({ instanceId: outcome.instanceId });
    expect(task).toMatchObject({
      processKey: "callback-request",
      activityId: "call-back",
      name: "Call back +79161234567 (sales)",
      assignee: "m-2",
      status: "open",
      customerId: "c-1",
      dueAt: "2026-12-01T10:00:00.000Z",
      checklist: [
        { item: "Client reached", done: false },
        { item: "Outcome noted", done: false },
      ],
    });
    expect(deps.sent.map((e) => e.topic)).toEqual(["task.created", "kpi.manager.updated"]);
  });

  it("when requests come one after another, then each counts the tasks the last ones made, and a repeated request makes nothing new", async () => {
    const deps = memoryDeps();
    const engine = await startedEngine(deps);
    const both = [free("m-1"), free("m-2")];
    const outcomes = await Promise.all(
      ["cb-1", "cb-2", "cb-3"].map((id) => assignCallback(deps, engine, request(id, both), "test")),
    );
    expect(outcomes.map((o) => o.managerId)).toEqual(["m-1", "m-2", "m-1"]);
    const again = await assignCallback(deps, engine, request("cb-2", both), "test");
    expect(again).toEqual({ ...outcomes[1], created: false });
    expect(await deps.tasks.countsOf("m-1")).toMatchObject({ open: 2 });
    expect(await deps.tasks.countsOf("m-2")).toMatchObject({ open: 1 });
  });
});

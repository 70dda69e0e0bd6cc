import { documentGeneratedSchema } from "@symbiont/files";
import mammoth from "mammoth";
import { afterEach, describe, expect, it, vi } from "vitest";
import { meetingBookedSchema } from "../events/consumed-topics.js";
import { memoryDeps, type MemoryDeps } from "../testing/memory-deps.js";
import { clientMeetingStart } from "./client-meeting.js";
import { ProcessEngine } from "./process-engine.js";
import { reportOverdue } from "./task-service.js";

// The client-meeting definition run by the real engine over the module's stores kept in
// memory: every step, the events it publishes, and a restart in the middle of a wait.

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

/** A meeting whose reminder is due already (the engine's timers run on the real clock). */
const meeting = (id: string, customerId = "c-1") =>
  meetingBookedSchema.parse({
    meetingId: id,
    customerId,
    managerId: "m-1",
    meetingAt: new Date(Date.now() + 60_000).toISOString(),
  });
const topics = (deps: MemoryDeps) => deps.sent.map((e) => e.topic);
const eventsOf = (deps: MemoryDeps, topic: string) => deps.sent.filter((e) => e.topic === topic);
const openTask = async (deps: MemoryDeps, assignee: string) =>
  vi.waitFor(
    async () => {
      const [task] = await deps.tasks.list({ assignee, status: "open" });
      if (!task) throw new Error(`no open task for ${assignee} yet`);
      return task;
    },
    { timeout: 10_000, interval: 20 },
  );

describe("the client-meeting process on the engine", () => {
  it("when a meeting is booked, then the client is reminded, the manager checks, a contract is generated, stored, approved and sent for signing, across a restart", async () => {
    const deps = memoryDeps();
    await deps.customers.upsert({
      id: "c-1",
      version: 3,
      name: "Anna Smirnova",
      phone: "+79161234567",
      smsConsent: true,
    });
    const engine = await startedEngine(deps);
    const { instance } = await engine.start({
      ...clientMeetingStart(meeting("mt-1"), deps.settings),
      startedBy: "test",
    });

    const checklist = await openTask(deps, "m-1");
    expect(checklist).toMatchObject({
      activityId: "meeting-checklist",
      name: "Meeting checklist",
      customerId: "c-1",
      dueAt: instance.variables.checklistDueAt,
      checklist: [
        { item: "Agenda agreed", done: false },
        { item: "Documents checked", done: false },
        { item: "Next step agreed", done: false },
      ],
    });
    const [reminder] = eventsOf(deps, "notification.sms");
    expect(reminder).toMatchObject({
      id: `notification.sms:${instance.id}.send-reminder`,
      data: { to: "+79161234567", customerId: "c-1", purpose: "send-reminder" },
    });
    expect((reminder!.data as { text: string }).text).toContain(
      String(instance.variables.meetingTime),
    );
    expect(topics(deps)).toEqual(["notification.sms", "task.created", "kpi.manager.updated"]);

    await engine.completeTask(checklist.id, { name: "m-1", role: "manager" }, ["Agenda agreed"]);
    const generated = await vi.waitFor(
      () => eventsOf(deps, "document.generated")[0] ?? Promise.reject(new Error("not yet")),
      { timeout: 10_000, interval: 20 },
    );
    // What files reads of it, with files' own schema.
    const document = documentGeneratedSchema.parse(generated.data);
    expect(document).toMatchObject({
      sandbox: "contracts",
      path: `client-meeting/${instance.id}/contract.docx`,
      link: { kind: "process-instance", id: instance.id },
    });
    const text = (
      await mammoth.extractRawText({ buffer: Buffer.from(document.contentBase64, "base64") })
    ).value;
    expect(text).toContain("Client: Anna Smirnova (client id c-1)");
    expect(text).toContain(`Service contract ${instance.id}.generate-contract`);

    // files stored it: the instance goes on to the approval.
    await engine.deliver(instance.id, "document.stored", {
      fileId: "f-1",
      sandbox: "contracts",
      path: document.path,
      version: 1,
      sha256: "a".repeat(64),
    });
    const approval = await openTask(deps, "head-of-sales");
    expect(approval.activityId).toBe("approve-contract");
    await engine.settled();

    // The module stops while the approval waits; a new one resumes the instance.
    await engine.stop();
    const again = await startedEngine(memoryDeps(deps));
    expect(await again.resumeAll()).toBe(1);
    await again.completeTask(approval.id, { name: "head-of-sales", role: "manager" }, []);
    await vi.waitFor(
      async () => expect((await deps.instances.get(instance.id))?.status).toBe("completed"),
      { timeout: 10_000, interval: 20 },
    );
    expect(eventsOf(deps, "contract.signing.requested").map((e) => e.data)).toEqual([
      {
        contractId: `${instance.id}.contract`,
        instanceId: instance.id,
        customerId: "c-1",
        title: "Service contract",
        document: {
          fileId: "f-1",
          sandbox: "contracts",
          path: document.path,
          version: 1,
          sha256: "a".repeat(64),
        },
        approvedBy: "head-of-sales",
        requestedAt: deps.clock.toISOString(),
      },
    ]);
    expect(eventsOf(deps, "notification.sms").map((e) => e.id)).toEqual([
      `notification.sms:${instance.id}.send-reminder`,
      `notification.sms:${instance.id}.ask-rating`,
    ]);
    // One task.created per task: the resumed wait found its task.
    expect(eventsOf(deps, "task.created")).toHaveLength(2);
    expect(eventsOf(deps, "task.completed")).toHaveLength(2);
  });

  it("when the reminder is not due yet, then the instance waits for its timer, also after a restart", async () => {
    const deps = memoryDeps();
    const engine = await startedEngine(deps);
    const later = meetingBookedSchema.parse({
      ...meeting("mt-6", "c-6"),
      meetingAt: new Date(Date.now() + 3 * 3_600_000).toISOString(),
    });
    const { instance } = await engine.start({
      ...clientMeetingStart(later, deps.settings),
      startedBy: "t",
    });
    await engine.settled();
    expect((await deps.instances.get(instance.id))?.waiting).toEqual(["until-reminder"]);
    await engine.stop();
    const again = await startedEngine(memoryDeps(deps));
    expect(await again.resumeAll()).toBe(1);
    await again.settled();
    expect((await deps.instances.get(instance.id))?.waiting).toEqual(["until-reminder"]);
    expect(deps.sent).toEqual([]);
  });

  it("when the client gave no SMS consent, then no SMS is sent and the manager still gets the checklist", async () => {
    const deps = memoryDeps();
    await deps.customers.upsert({
      id: "c-2",
      version: 1,
      phone: "+79160000000",
      smsConsent: false,
    });
    const engine = await startedEngine(deps);
    await engine.start({
      ...clientMeetingStart(meeting("mt-2", "c-2"), deps.settings),
      startedBy: "t",
    });
    await openTask(deps, "m-1");
    expect(eventsOf(deps, "notification.sms")).toEqual([]);
  });

  it("when the client prefers the messenger and agreed to it, then the reminder goes to the messenger and the rating request still by SMS", async () => {
    const deps = memoryDeps();
    await deps.customers.upsert({
      id: "c-7",
      version: 1,
      phone: "+79160000007",
      smsConsent: true,
      messengerConsent: true,
      preferredChannel: "messenger",
    });
    const engine = await startedEngine(deps);
    const { instance } = await engine.start({
      ...clientMeetingStart(meeting("mt-7", "c-7"), deps.settings),
      startedBy: "t",
    });
    await openTask(deps, "m-1");
    expect(eventsOf(deps, "notification.messenger")).toMatchObject([
      {
        id: `notification.messenger:${instance.id}.send-reminder`,
        data: { to: "+79160000007", customerId: "c-7", purpose: "send-reminder" },
      },
    ]);
    expect(eventsOf(deps, "notification.sms")).toEqual([]);
  });

  it("when the same meeting is booked twice, then one instance runs", async () => {
    const deps = memoryDeps();
    const engine = await startedEngine(deps);
    const start = { ...clientMeetingStart(meeting("mt-3", "c-3"), deps.settings), startedBy: "t" };
    const first = await engine.start(start);
    const second = await engine.start(start);
    expect(second).toEqual({ instance: first.instance, created: false });
  });

  it("when a task is completed by someone else, twice, or with an unknown item, then it is refused", async () => {
    const deps = memoryDeps();
    const engine = await startedEngine(deps);
    await engine.start({
      ...clientMeetingStart(meeting("mt-4", "c-4"), deps.settings),
      startedBy: "t",
    });
    const task = await openTask(deps, "m-1");
    const as = (name: string) => ({ name, role: "manager" as const });
    await expect(engine.completeTask(task.id, as("m-2"), [])).rejects.toMatchObject({
      status: 403,
      message: `task ${task.id} is assigned to m-1, not to m-2`,
    });
    await expect(engine.completeTask(task.id, as("m-1"), ["Coffee served"])).rejects.toMatchObject({
      status: 400,
      field: "body.done",
    });
    await expect(engine.completeTask("nope", as("m-1"), [])).rejects.toMatchObject({ status: 404 });
    await engine.completeTask(task.id, as("m-1"), []);
    await expect(engine.completeTask(task.id, as("m-1"), [])).rejects.toMatchObject({
      status: 409,
      code: "TaskNotOpen",
    });
  });

  it("when a task's due date passes, then it is reported overdue once and the manager's KPIs count it", async () => {
    const deps = memoryDeps();
    const engine = await startedEngine(deps);
    await engine.start({
      ...clientMeetingStart(meeting("mt-5", "c-5"), deps.settings),
      startedBy: "t",
    });
    const task = await openTask(deps, "m-1");
    deps.clock = new Date(Date.parse(task.dueAt!) + 1);
    expect(await reportOverdue(deps)).toBe(1);
    expect(await reportOverdue(deps)).toBe(0);
    expect(eventsOf(deps, "task.overdue").map((e) => e.data)).toEqual([
      { task: { ...task, overdueAt: deps.clock.toISOString() } },
    ]);
    expect(eventsOf(deps, "kpi.manager.updated").at(-1)).toMatchObject({
      id: "kpi.manager.updated:m-1:2",
      data: {
        managerId: "m-1",
        tasks: { done: 0, overdue: 1, open: 1 },
        ratings: { count: 0, average: null },
        revision: 2,
      },
    });
  });
});

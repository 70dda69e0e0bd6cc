import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mammoth from "mammoth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitUntil } from "../../dev/harness/probe.js";
import { publishSurely } from "../../dev/stack/gateway-stack.js";
import { startProcessesStack, type ProcessesStack } from "../../dev/stack/processes-stack.js";
import { call } from "../../dev/stack/service-stack.js";

// The client meeting end to end (MISSION C4, T1) on real components, wired as samples/ declares
// them: a client known to CRM books a meeting in the user cabinet; the booking crosses the bus
// gateway and starts the process; the module is killed (SIGKILL) while the instance waits for
// the reminder's time and resumes it after a restart; the reminder reaches the SMS partner
// through the gateway; the manager's checklist, a contract generated from its DOCX template and
// stored by files, the approval by the manager's manager, and the signing request at the
// e-signature partner follow. Bad inputs are refused and store nothing.

const dir = mkdtempSync(join(tmpdir(), "symbiont-processes-"));
const run = Date.now().toString(36);
let stack: ProcessesStack;

interface Instance {
  id: string;
  businessKey?: string;
  status: string;
  waiting: string[];
  variables: Record<string, string>;
}
interface Task {
  id: string;
  activityId: string;
  assignee: string;
  status: string;
  checklist: Array<{ item: string; done: boolean }>;
}
interface Received {
  topic: string | null;
  signatureValid: boolean | null;
  body: Record<string, unknown>;
}

const as = <T>(who: string | undefined, method: string, path: string, body?: unknown) =>
  call<T>(
    method,
    `${stack.processes.url}${path}`,
    body,
    who ? { authorization: `Bearer ${stack.tokens[who]}` } : {},
  );
const received = async (partner: string) =>
  (
    await call<{ messages: Received[] }>(
      "GET",
      `${stack.sim.adminUrl}/admin/partners/${partner}/received?unique=true`,
    )
  ).body.messages;

async function instanceOnce(
  meetingId: string,
  done: (instance: Instance) => boolean,
): Promise<Instance> {
  let found: Instance | undefined;
  await waitUntil(
    `the instance of meeting ${meetingId}`,
    async () => {
      const { body } = await as<{ instances: Instance[] }>("admin", "GET", "/instances");
      found = body?.instances?.find((i) => i.businessKey === `meeting:${meetingId}`);
      return found !== undefined && done(found);
    },
    { timeoutMs: 60_000 },
  );
  return found!;
}

async function deliveredTo(partner: string, match: (r: Received) => boolean): Promise<Received> {
  let found: Received | undefined;
  await waitUntil(
    `a delivery to ${partner}`,
    async () => {
      found = (await received(partner)).find(match);
      return found !== undefined;
    },
    { timeoutMs: 60_000 },
  );
  return found!;
}

beforeAll(async () => {
  stack = await startProcessesStack({ dir, managers: ["m-1", "head-of-sales"] });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("the processes API refuses what it cannot take", () => {
  it("when a caller has no token, or a manager asks for an admin's call, then 401 and 403", async () => {
    for (const path of ["/definitions", "/instances", "/tasks"])
      expect((await as(undefined, "GET", path)).status).toBe(401);
    expect((await as("m-1", "GET", "/definitions")).status).toBe(403);
    expect((await as("m-1", "GET", "/tasks?assignee=head-of-sales")).status).toBe(403);
  });

  it("when a definition is broken, then 400 names the reason and no version is stored", async () => {
    const post = (xml: string) =>
      fetch(`${stack.processes.url}/definitions`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${stack.tokens.admin}`,
          "content-type": "application/xml",
        },
        body: xml,
      }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { error: { message: string } },
      }));
    const truncated = await post(
      '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process',
    );
    expect(truncated.status).toBe(400);
    expect(truncated.body.error.message).toMatch(/unreadable XML/);
    const unknownService =
      await post(`<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
      <process id="client-meeting" isExecutable="true"><startEvent id="s" />
      <serviceTask id="pay" implementation="\${environment.services.chargeCard}" /></process></definitions>`);
    expect(unknownService.status).toBe(400);
    expect(unknownService.body.error.message).toContain("unknown service chargeCard");
    const { body } = await as<{ definitions: Array<{ key: string; version: number }> }>(
      "admin",
      "GET",
      "/definitions",
    );
    expect(body.definitions.map((d) => `${d.key}@${d.version}`)).toEqual([
      "callback-request@1",
      "client-meeting@1",
    ]);
    expect(
      (await as("admin", "POST", "/instances", { definition: "no-such-process" })).status,
    ).toBe(404);
    expect(
      (await as("admin", "POST", "/instances", { definition: "client-meeting", extra: 1 })).status,
    ).toBe(400);
  });
});

describe("the client meeting, end to end", () => {
  const meetingId = `mt-${run}`;
  let customerId: string;
  let instance: Instance;

  it("when a booked meeting waits for its reminder and the module is killed, then after a restart the reminder reaches the SMS partner", async () => {
    const touchpoint = await call<{ profileId: string }>("POST", `${stack.crm.url}/touchpoints`, {
      channel: "site_form",
      identity: { phone: "+7 916 123-45-67" },
      name: "Anna Smirnova",
      consent: { sms: true },
    });
    expect(touchpoint.status).toBe(201);
    customerId = touchpoint.body.profileId;
    // The reminder is due 20 s from now (PROCESSES_REMIND_BEFORE is two hours).
    const meetingAt = new Date(Date.now() + 2 * 3_600_000 + 20_000).toISOString();
    await publishSurely(
      stack.userCabinet,
      stack.file.corporatePubsub,
      "meeting.booked",
      { meetingId, customerId, managerId: "m-1", meetingAt, bookedAt: new Date().toISOString() },
      `meeting.booked:${meetingId}`,
    );
    instance = await instanceOnce(meetingId, (i) => i.waiting.includes("until-reminder"));
    expect(instance.variables).toMatchObject({
      customerId,
      managerId: "m-1",
      approverId: "head-of-sales",
    });
    expect(await received("sms")).toEqual([]);

    await stack.killAndRestartProcesses();

    const reminder = await deliveredTo(
      "sms",
      (r) => r.body.messageId === `${instance.id}.send-reminder`,
    );
    expect(reminder.signatureValid).toBe(true);
    expect(reminder.body).toMatchObject({ to: "+79161234567", purpose: "send-reminder" });
    expect(reminder.body.text).toContain(instance.variables.meetingTime);
    expect(reminder.body).not.toHaveProperty("customerId");
  }, 180_000);

  it("when the manager completes the checklist, then a contract from the template is stored in files and waits for approval", async () => {
    let task: Task | undefined;
    await waitUntil("the manager's checklist", async () => {
      const { body } = await as<{ tasks: Task[] }>("m-1", "GET", "/tasks?status=open");
      task = body.tasks.find((t) => t.activityId === "meeting-checklist");
      return task !== undefined;
    });
    expect((await as("head-of-sales", "POST", `/tasks/${task!.id}/complete`, {})).status).toBe(403);
    const done = await as<{ task: Task }>("m-1", "POST", `/tasks/${task!.id}/complete`, {
      done: ["Agenda agreed", "Next step agreed"],
    });
    expect(done.status).toBe(200);
    expect(done.body.task.checklist.filter((c) => c.done).map((c) => c.item)).toEqual([
      "Agenda agreed",
      "Next step agreed",
    ]);
    await instanceOnce(meetingId, (i) => i.waiting.includes("approve-contract"));

    const token = await stack.filesToken({ kind: "internal", sub: "m-1", teams: ["managers"] });
    const contract = await fetch(
      `${stack.files.url}/sandboxes/contracts/files/client-meeting/${instance.id}/contract.docx`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(contract.status).toBe(200);
    const text = (
      await mammoth.extractRawText({ buffer: Buffer.from(await contract.arrayBuffer()) })
    ).value;
    expect(text).toContain(`Client: Anna Smirnova (client id ${customerId})`);
    expect(text).toContain("Manager: m-1");
  }, 120_000);

  it("when the manager's manager approves, then the e-signature partner gets the contract, the client is asked to rate, the process is done, and the client's rating counts for the manager", async () => {
    const { body } = await as<{ tasks: Task[] }>("head-of-sales", "GET", "/tasks?status=open");
    const approval = body.tasks.find((t) => t.activityId === "approve-contract")!;
    expect(approval.assignee).toBe("head-of-sales");
    expect((await as("head-of-sales", "POST", `/tasks/${approval.id}/complete`, {})).status).toBe(
      200,
    );
    const signing = await deliveredTo("esign", (r) => r.body.instanceId === instance.id);
    expect(signing.body).toMatchObject({
      contractId: `${instance.id}.contract`,
      customerId,
      approvedBy: "head-of-sales",
      document: { sandbox: "contracts", path: `client-meeting/${instance.id}/contract.docx` },
    });
    await deliveredTo("sms", (r) => r.body.messageId === `${instance.id}.ask-rating`);
    const ended = await instanceOnce(meetingId, (i) => i.status !== "running");
    expect(ended.status).toBe("completed");

    // The client answers the rating request; the reply comes in signed through the gateway.
    const webhook = await call<{ status: number }>(
      "POST",
      `${stack.sim.adminUrl}/admin/partners/sms/webhook`,
      {
        url: `${stack.gateway.publicUrl}/inbound/sms`,
        topic: "sms.reply.received",
        idempotencyKey: `sms.reply.received:${instance.id}`,
        payload: {
          replyTo: `${instance.id}.ask-rating`,
          from: "+79161234567",
          text: "5",
          receivedAt: new Date().toISOString(),
        },
      },
    );
    expect(webhook.body.status).toBe(202);
    await waitUntil("the rating in m-1's KPIs", async () => {
      const { body } = await as<{ kpi: { ratings: { count: number; average: number } } }>(
        "m-1",
        "GET",
        "/kpis/m-1",
      );
      return body.kpi.ratings.count === 1 && body.kpi.ratings.average === 5;
    });
    expect((await as("m-1", "GET", "/kpis/head-of-sales")).status).toBe(403);
    const metrics = await (await fetch(`${stack.processes.url}/metrics`)).text();
    expect(metrics).toMatch(
      /symbiont_events_received_total\{topic="file.uploaded",result="applied"\} 1/,
    );
  }, 120_000);
});

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitUntil } from "../../dev/harness/probe.js";
import { publishSurely } from "../../dev/stack/gateway-stack.js";
import { startProcessesStack, type ProcessesStack } from "../../dev/stack/processes-stack.js";
import { call } from "../../dev/stack/service-stack.js";

// The telephony partner and the messenger channel (MISSION T1, C4) on real components, wired as
// samples/ declares them: partner-sim's call centre sends a client's callback request, signed,
// to the bus gateway's /inbound/telephony; the route callbacks-in checks it and the processes
// module makes it a task for a free manager of the queue, the least loaded one. A client who
// prefers the messenger in CRM gets the meeting reminder through the messenger partner.

const dir = mkdtempSync(join(tmpdir(), "symbiont-telephony-"));
const run = Date.now().toString(36);
let stack: ProcessesStack;

interface Task {
  id: string;
  instanceId: string;
  processKey: string;
  activityId: string;
  name: string;
  assignee: string;
  status: string;
  customerId?: string;
}
interface Received {
  signatureValid: boolean | null;
  body: Record<string, unknown>;
}
interface SentCallback {
  request: { requestId: string; agents: Array<{ managerId: string; status: string }> };
  webhook: { status: number | null };
}

const asAdmin = <T>(method: string, path: string, body?: unknown) =>
  call<T>(method, `${stack.processes.url}${path}`, body, {
    authorization: `Bearer ${stack.tokens.admin}`,
  });
const sim = <T>(method: string, path: string, body?: unknown) =>
  call<T>(method, `${stack.sim.adminUrl}/admin/partners/${path}`, body);

/** A call to the call centre: it rings, the caller presses `digits`. */
async function dial(from: string, digits: string) {
  const rang = await sim<{ call: { id: string } }>("POST", "telephony/calls", { from });
  expect(rang.status).toBe(201);
  const pressed = await sim<{ call: { id: string; state: string }; callback?: SentCallback }>(
    "POST",
    `telephony/calls/${rang.body.call.id}/keys`,
    { digits },
  );
  expect(pressed.status).toBe(200);
  return pressed.body;
}

async function callbackTasks(): Promise<Task[]> {
  const { body } = await asAdmin<{ tasks: Task[] }>("GET", "/tasks?status=open");
  return body.tasks.filter((t) => t.processKey === "callback-request");
}

async function taskNaming(phone: string): Promise<Task> {
  let found: Task | undefined;
  await waitUntil(
    `the callback task for ${phone}`,
    async () => {
      found = (await callbackTasks()).find((t) => t.name.includes(phone));
      return found !== undefined;
    },
    { timeoutMs: 60_000 },
  );
  return found!;
}

/** Waits until the module applied `count` customer.created events from CRM. */
async function customersKnown(count: number): Promise<void> {
  await waitUntil(
    `${count} customer(s) from CRM in the processes module`,
    async () => {
      const metrics = await (await fetch(`${stack.processes.url}/metrics`)).text();
      const applied =
        /symbiont_events_received_total\{topic="customer\.created",result="applied"\} (\d+)/.exec(
          metrics,
        );
      return Number(applied?.[1] ?? 0) >= count;
    },
    { timeoutMs: 60_000 },
  );
}

beforeAll(async () => {
  stack = await startProcessesStack({ dir, managers: ["m-1", "m-2", "head-of-sales"] });
  const settings = await sim("PUT", "telephony/telephony", {
    callbackUrl: `${stack.gateway.publicUrl}/inbound/telephony`,
    queues: [
      { name: "sales", key: "1", managers: ["m-1", "m-2"] },
      { name: "support", key: "2", managers: ["m-2"] },
    ],
  });
  expect(settings.status).toBe(200);
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  if (!process.env.SYMBIONT_KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
});

describe("a client's callback request from the telephony", () => {
  it("when one manager of the queue is on a call and a caller asks to be called back, then the free manager gets the task, with the client CRM knows", async () => {
    const touchpoint = await call<{ profileId: string }>("POST", `${stack.crm.url}/touchpoints`, {
      channel: "phone_call",
      identity: { phone: "+7 916 111-22-33" },
      name: "Boris Orlov",
    });
    expect(touchpoint.status).toBe(201);
    // The module learnt the client from CRM's customer.created before the call.
    await customersKnown(1);
    const onCall = await dial("+79160000001", "1");
    expect(onCall.call.state).toBe("connected");

    const asked = await dial("+79161112233", "1*");
    expect(asked.call.state).toBe("callback");
    expect(asked.callback?.webhook.status).toBe(202);
    expect(asked.callback?.request.agents).toEqual([
      { managerId: "m-1", status: "busy" },
      { managerId: "m-2", status: "free" },
    ]);

    const task = await taskNaming("+79161112233");
    expect(task).toMatchObject({
      activityId: "call-back",
      name: "Call back +79161112233 (sales)",
      assignee: "m-2",
      status: "open",
      customerId: touchpoint.body.profileId,
    });
    // The manager sees it among their own tasks.
    const mine = await call<{ tasks: Task[] }>(
      "GET",
      `${stack.processes.url}/tasks?status=open`,
      undefined,
      { authorization: `Bearer ${stack.tokens["m-2"]}` },
    );
    expect(mine.body.tasks.map((t) => t.id)).toContain(task.id);

    // The call ends: both managers are free; m-2 has a task more, so the next goes to m-1.
    await sim("POST", `telephony/calls/${onCall.call.id}/hangup`);
    const next = await dial("+79162223344", "1*");
    expect(next.callback?.request.agents.map((a) => a.status)).toEqual(["free", "free"]);
    expect((await taskNaming("+79162223344")).assignee).toBe("m-1");
    expect((await callbackTasks()).map((t) => t.assignee).sort()).toEqual(["m-1", "m-2"]);
  }, 120_000);

  it("when a callback request has no phone or names a queue the company does not have, then the gateway answers 422 naming it and nothing is started", async () => {
    const send = (requestId: string, payload: Record<string, unknown>) =>
      sim<{ status: number; body: { error: { code: string; message: string } } }>(
        "POST",
        "telephony/webhook",
        {
          url: `${stack.gateway.publicUrl}/inbound/telephony`,
          topic: "telephony.callback.requested",
          idempotencyKey: `telephony.callback.requested:${requestId}`,
          payload: {
            requestId,
            queue: "sales",
            requestedAt: new Date().toISOString(),
            agents: [{ managerId: "m-1", status: "free" }],
            ...payload,
          },
        },
      );
    const noPhone = await send(`cb-nophone-${run}`, {});
    expect(noPhone.body.status).toBe(422);
    expect(noPhone.body.body.error).toMatchObject({ code: "SchemaViolation" });
    expect(noPhone.body.body.error.message).toMatch(/phone/);
    const billing = await send(`cb-billing-${run}`, { phone: "+79163334455", queue: "billing" });
    expect(billing.body.status).toBe(422);
    expect(billing.body.body.error.message).toMatch(/\/queue/);

    // A good request sent after them arrives; the refused ones started nothing.
    await send(`cb-good-${run}`, { phone: "+79164445566" });
    await taskNaming("+79164445566");
    const { body } = await asAdmin<{ instances: Array<{ businessKey: string }> }>(
      "GET",
      "/instances?definition=callback-request",
    );
    const keys = body.instances.map((i) => i.businessKey);
    expect(keys).toContain(`callback:cb-good-${run}`);
    expect(keys).not.toContain(`callback:cb-nophone-${run}`);
    expect(keys).not.toContain(`callback:cb-billing-${run}`);
    expect((await callbackTasks()).some((t) => t.name.includes("+79163334455"))).toBe(false);
  }, 120_000);
});

describe("the client-meeting reminder through the client's channel", () => {
  it("when the client prefers the messenger and agreed to it, then the reminder reaches the messenger partner, signed, and not the SMS partner", async () => {
    const touchpoint = await call<{ profileId: string }>("POST", `${stack.crm.url}/touchpoints`, {
      channel: "site_form",
      identity: { phone: "+7 916 777-88-99" },
      name: "Vera Lebedeva",
      consent: { sms: true, messenger: true },
      preferredChannel: "messenger",
    });
    expect(touchpoint.status).toBe(201);
    const customerId = touchpoint.body.profileId;
    await customersKnown(2);
    const meetingId = `mt-msg-${run}`;
    // The reminder is due 5 s from now (PROCESSES_REMIND_BEFORE is two hours).
    const meetingAt = new Date(Date.now() + 2 * 3_600_000 + 5_000).toISOString();
    await publishSurely(
      stack.userCabinet,
      stack.file.corporatePubsub,
      "meeting.booked",
      { meetingId, customerId, managerId: "m-1", meetingAt },
      `meeting.booked:${meetingId}`,
    );
    let instanceId: string | undefined;
    let reminder: Received | undefined;
    await waitUntil(
      "the reminder at the messenger partner",
      async () => {
        const { body } = await asAdmin<{ instances: Array<{ id: string; businessKey: string }> }>(
          "GET",
          "/instances?definition=client-meeting",
        );
        instanceId = body.instances.find((i) => i.businessKey === `meeting:${meetingId}`)?.id;
        if (!instanceId) return false;
        const received = await sim<{ messages: Received[] }>(
          "GET",
          "messenger/received?unique=true",
        );
        reminder = received.body.messages.find(
          (m) => m.body.messageId === `${instanceId}.send-reminder`,
        );
        return reminder !== undefined;
      },
      { timeoutMs: 90_000 },
    );
    expect(reminder!.signatureValid).toBe(true);
    expect(reminder!.body).toMatchObject({ to: "+79167778899", purpose: "send-reminder" });
    expect(reminder!.body).not.toHaveProperty("customerId");
    const sms = await sim<{ messages: Received[] }>("GET", "sms/received?unique=true");
    expect(
      sms.body.messages.filter((m) => m.body.messageId === `${instanceId}.send-reminder`),
    ).toEqual([]);
  }, 150_000);
});

import { join } from "node:path";
import { compileJsonSchema, type RedactRule } from "@symbiont/contracts";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { readManifests } from "../../dev/harness/apply-manifests.js";
import { repoRoot } from "../../dev/harness/tool-paths.js";
import type { BusRouteSpec } from "../../operator/src/api/bus-route.types.js";
import { factReaders } from "../../services/analytics/src/events/consumed-topics.js";
import { redactPayload } from "../../services/bus-gateway/src/domain/redact-payload.js";
import type { FileVersion } from "../../services/files/src/domain/file-version.js";
import type { Sandbox } from "../../services/files/src/domain/sandbox.js";
import { fileStored } from "../../services/files/src/events/files-topics.js";
import { clientMeetingStart } from "../../services/processes/src/domain/client-meeting.js";
import { ProcessEngine } from "../../services/processes/src/domain/process-engine.js";
import { reportOverdue } from "../../services/processes/src/domain/task-service.js";
import {
  customerChangedSchema,
  callbackRequestedSchema,
  fileUploadedSchema,
  meetingBookedSchema,
  smsReplySchema,
} from "../../services/processes/src/events/consumed-topics.js";
import { memoryDeps, type MemoryDeps } from "../../services/processes/src/testing/memory-deps.js";
import { contactOf } from "../../services/processes/src/domain/customer-contact.js";
import { identityKeys } from "../../services/crm/src/domain/identity-keys.js";
import { CallCentre } from "../../services/partner-sim/src/telephony/call-centre.js";

// The processes module's seams, each side with its own code: what it publishes (from a run of
// the client-meeting process on its engine) passes the samples' export routes and analytics'
// readers; what it reads (files' file.uploaded, the documented meeting.booked) it reads.

const routes = readManifests(join(repoRoot, "samples"))
  .filter((o) => o.kind === "BusRoute")
  .map((o) => (o as unknown as { spec: BusRouteSpec }).spec);
const route = (topic: string, direction: "export" | "import") =>
  routes.find((r) => r.topic === topic && r.direction === direction)!;

const booked = {
  meetingId: "mt-1",
  customerId: "c-1",
  managerId: "m-1",
  meetingAt: new Date(Date.now() + 60_000).toISOString(),
  bookedAt: new Date().toISOString(),
};
let deps: MemoryDeps;
let engine: ProcessEngine;

beforeAll(async () => {
  deps = memoryDeps();
  await deps.customers.upsert({ id: "c-1", version: 1, phone: "+79161234567", smsConsent: true });
  await deps.customers.upsert({
    id: "c-2",
    version: 1,
    phone: "+79161234567",
    smsConsent: true,
    messengerConsent: true,
    preferredChannel: "messenger",
  });
  engine = new ProcessEngine(deps);
  await engine.deployFolder();
  const { instance } = await engine.start({
    ...clientMeetingStart(meetingBookedSchema.parse(booked), deps.settings),
    startedBy: "test",
  });
  const open = (assignee: string) =>
    vi.waitFor(
      async () => {
        const [task] = await deps.tasks.list({ assignee, status: "open" });
        if (!task) throw new Error(`no open task for ${assignee} yet`);
        return task;
      },
      { timeout: 10_000 },
    );
  const checklist = await open("m-1");
  deps.clock = new Date(Date.parse(checklist.dueAt!) + 1);
  await reportOverdue(deps);
  await engine.completeTask(checklist.id, { name: "m-1", role: "manager" }, []);
  await vi.waitFor(() => expect(deps.sent.map((e) => e.topic)).toContain("document.generated"));
  await engine.deliver(instance.id, "document.stored", {
    fileId: "f-1",
    sandbox: "contracts",
    path: "p.docx",
    version: 1,
    sha256: "a".repeat(64),
  });
  await engine.completeTask(
    (await open("head-of-sales")).id,
    { name: "head-of-sales", role: "admin" },
    [],
  );
  await vi.waitFor(() =>
    expect(deps.sent.map((e) => e.topic)).toContain("contract.signing.requested"),
  );
  // A client who prefers the messenger: their reminder is a notification.messenger.
  await engine.start({
    ...clientMeetingStart(
      meetingBookedSchema.parse({ ...booked, meetingId: "mt-2", customerId: "c-2" }),
      deps.settings,
    ),
    startedBy: "test",
  });
  await vi.waitFor(() => expect(deps.sent.map((e) => e.topic)).toContain("notification.messenger"));
});
afterAll(() => engine?.stop());

describe("what the processes module publishes", () => {
  it("when it is exported, then its route takes it, and the SMS partner gets no internal ids", () => {
    for (const topic of [
      "notification.sms",
      "notification.messenger",
      "contract.signing.requested",
    ]) {
      const exported = deps.sent.filter((e) => e.topic === topic);
      expect(exported.length).toBeGreaterThan(0);
      const spec = route(topic, "export");
      const compiled = compileJsonSchema(spec.schema);
      if (!compiled.ok) throw new Error(compiled.error);
      for (const event of exported) {
        const data = JSON.parse(JSON.stringify(event.data)) as Record<string, unknown>;
        expect(compiled.check(data)).toEqual({ ok: true });
        const redacted = redactPayload(data, (spec.redact ?? []) as RedactRule[]);
        if (topic === "notification.sms" || topic === "notification.messenger") {
          expect(redacted).not.toHaveProperty("customerId");
          expect(redacted).not.toHaveProperty("instanceId");
          expect(redacted).toMatchObject({ to: "+79161234567" });
        }
      }
    }
  });

  it("when analytics reads its task and KPI events, then every one is read", () => {
    const read = deps.sent.filter((e) => factReaders.has(e.topic));
    expect(new Set(read.map((e) => e.topic))).toEqual(
      new Set(["task.created", "task.overdue", "task.completed", "kpi.manager.updated"]),
    );
    for (const event of read) {
      const facts = factReaders.get(event.topic)!(JSON.parse(JSON.stringify(event.data)), {
        eventId: event.id,
        receivedAt: Date.now(),
        defaultCountryCode: "7",
      });
      expect(facts.length).toBeGreaterThan(0);
    }
  });
});

describe("what the processes module reads", () => {
  it("when a meeting is booked as documented, then the import route and analytics take it too", () => {
    const compiled = compileJsonSchema(route("meeting.booked", "import").schema);
    if (!compiled.ok) throw new Error(compiled.error);
    expect(compiled.check(booked)).toEqual({ ok: true });
    expect(compiled.check({ ...booked, meetingAt: "tomorrow" })).toMatchObject({ ok: false });
    expect(
      factReaders.get("meeting.booked")!(booked, {
        eventId: "e",
        receivedAt: 0,
        defaultCountryCode: "7",
      }),
    ).toHaveLength(1);
  });

  it("when the SMS partner sends a client's reply as documented, then the route and the module take it", () => {
    const answer = {
      replyTo: "i-1.ask-rating",
      from: "+79161234567",
      text: "5",
      receivedAt: new Date().toISOString(),
    };
    const compiled = compileJsonSchema(route("sms.reply.received", "import").schema);
    if (!compiled.ok) throw new Error(compiled.error);
    expect(compiled.check(answer)).toEqual({ ok: true });
    expect(compiled.check({ ...answer, from: "8 916 123" })).toMatchObject({ ok: false });
    expect(smsReplySchema.parse(answer)).toEqual(answer);
  });

  it("when the telephony asks for a callback, then the route and the module take it, and a request without a phone or for an unknown queue is refused", () => {
    const centre = new CallCentre(
      [
        { name: "sales", key: "1", managers: ["m-1", "m-2"] },
        { name: "billing", key: "3", managers: ["m-3"] },
      ],
      { now: () => new Date(), newId: () => "1" },
    );
    centre.press(centre.arrive("+79160000001").id, "1");
    const { callback } = centre.press(centre.arrive("+79161234567").id, "1*");
    const compiled = compileJsonSchema(route("telephony.callback.requested", "import").schema);
    if (!compiled.ok) throw new Error(compiled.error);
    const request = JSON.parse(JSON.stringify(callback)) as Record<string, unknown>;
    expect(compiled.check(request)).toEqual({ ok: true });
    expect(callbackRequestedSchema.parse(request)).toEqual(request);
    const { phone: _phone, ...withoutPhone } = request;
    expect(compiled.check(withoutPhone)).toMatchObject({ ok: false });
    // The samples' company has no billing queue.
    const billing = centre.requestCallback("+79161234567", "billing");
    expect(compiled.check(JSON.parse(JSON.stringify(billing)))).toMatchObject({ ok: false });
  });

  it("when files stores a generated document, then its file.uploaded names the instance", () => {
    const sandbox: Sandbox = {
      id: "contracts",
      kind: "process",
      title: "Contracts",
      links: [],
      grants: [],
      grantsVersion: 1,
      createdAt: booked.bookedAt,
      createdBy: { kind: "service", id: "processes" },
    };
    const version: FileVersion = {
      fileId: "f-1",
      sandbox: "contracts",
      path: "client-meeting/i-1/contract.docx",
      version: 1,
      state: "announced",
      objectKey: "k",
      contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      size: 10,
      sha256: "b".repeat(64),
      author: { kind: "service", id: "processes" },
      createdAt: booked.bookedAt,
      links: [{ kind: "process-instance", id: "i-1" }],
      origin: { topic: "document.generated", eventId: "document.generated:i-1.generate-contract" },
      text: "",
      meta: {},
    };
    const event = fileStored(version, sandbox);
    expect(fileUploadedSchema.parse(JSON.parse(JSON.stringify(event.data)))).toMatchObject({
      links: [{ kind: "process-instance", id: "i-1" }],
      origin: { topic: "document.generated" },
    });
  });

  it("when CRM publishes a profile, then the module reads its phone (as E.164) and consent", () => {
    const parsed = customerChangedSchema.parse({
      reason: "consent",
      profile: {
        id: "c-1",
        status: "active",
        kind: "customer",
        names: ["Anna"],
        // The keys as CRM makes them from what a person typed.
        keys: identityKeys({ email: "a@example.com", phone: "8 (916) 123-45-67" }, "7"),
        hints: [],
        consent: { sms: { granted: true, at: booked.bookedAt, source: "site" } },
        interests: [],
        version: 2,
      },
    });
    expect(contactOf(parsed.profile)).toEqual({
      id: "c-1",
      version: 2,
      name: "Anna",
      phone: "+79161234567",
      smsConsent: true,
      messengerConsent: false,
    });
  });

  it("when CRM publishes a profile that prefers the messenger, then the module reads the preference and the messenger consent", () => {
    const parsed = customerChangedSchema.parse({
      reason: "consent",
      profile: {
        id: "c-2",
        status: "active",
        kind: "customer",
        names: [],
        keys: identityKeys({ phone: "+7 916 000-00-07" }, "7"),
        hints: [],
        consent: { messenger: { granted: true, at: booked.bookedAt, source: "api" } },
        preferredChannel: { channel: "messenger", at: booked.bookedAt, source: "api" },
        interests: [],
        version: 3,
      },
    });
    expect(contactOf(parsed.profile)).toEqual({
      id: "c-2",
      version: 3,
      phone: "+79160000007",
      smsConsent: false,
      messengerConsent: true,
      preferredChannel: "messenger",
    });
  });
});

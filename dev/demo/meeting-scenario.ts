import { signAccessToken } from "@symbiont/files";

// The demo's client-meeting scene (MISSION C4, T1): a client who agreed to SMS books a meeting
// in the user cabinet; the booking crosses the bus gateway and starts the process; the reminder
// reaches the SMS partner; the manager's checklist and the approval are completed through the
// processes API; the contract generated from its template is in files; the e-signature
// partner gets the signing request.

export interface MeetingScenarioOptions {
  crmUrl: string;
  processesUrl: string;
  /** The processes API's admin token (Secret acme-processes-admin). */
  adminToken: string;
  filesUrl: string;
  filesTokenKey: string;
  cabinetSidecarUrl: string;
  corporatePubsub: string;
  partnerSimUrl: string;
  log: (line: string) => void;
}

interface Task {
  id: string;
  activityId: string;
  name: string;
  assignee: string;
}

export async function runMeetingScenario(opts: MeetingScenarioOptions): Promise<void> {
  const { log } = opts;
  const json = async <T>(method: string, url: string, body?: unknown, token?: string) => {
    const answer = await fetch(url, {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!answer.ok)
      throw new Error(`${method} ${url}: HTTP ${answer.status} ${await answer.text()}`);
    return (await answer.json()) as T;
  };
  const until = async <T>(what: string, read: () => Promise<T | undefined>): Promise<T> => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const found = await read().catch(() => undefined);
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`the meeting scene waited in vain for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  const received = async (partner: string) =>
    (
      await json<{ messages: Array<{ body: Record<string, unknown> }> }>(
        "GET",
        `${opts.partnerSimUrl}/admin/partners/${partner}/received?unique=true`,
      )
    ).messages;
  const admin = opts.adminToken;

  const client = await json<{ profileId: string }>("POST", `${opts.crmUrl}/touchpoints`, {
    channel: "site_form",
    identity: { phone: "+7 916 555-01-02" },
    name: "Olga Smirnova",
    consent: { sms: true },
  });
  // The reminder goes out two hours before (PROCESSES_REMIND_BEFORE): this meeting is in 2 h 3 s.
  const meetingId = `demo-${Date.now().toString(36)}`;
  const meetingAt = new Date(Date.now() + 2 * 3_600_000 + 3_000).toISOString();
  const published = await fetch(
    `${opts.cabinetSidecarUrl}/v1.0/publish/${opts.corporatePubsub}/meeting.booked`,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        meetingId,
        customerId: client.profileId,
        managerId: "m-ivanova",
        meetingAt,
      }),
    },
  );
  if (!published.ok) throw new Error(`publish meeting.booked: HTTP ${published.status}`);
  log(`the user cabinet booked meeting ${meetingId} for client ${client.profileId} with m-ivanova`);
  const instance = await until("the process instance", async () => {
    const { instances } = await json<{ instances: Array<{ id: string; businessKey?: string }> }>(
      "GET",
      `${opts.processesUrl}/instances?definition=client-meeting`,
      undefined,
      admin,
    );
    return instances.find((i) => i.businessKey === `meeting:${meetingId}`);
  });
  log(`processes: client-meeting instance ${instance.id} started (crossed the bus gateway)`);
  const reminder = await until("the reminder", async () =>
    (await received("sms")).find((r) => r.body.messageId === `${instance.id}.send-reminder`),
  );
  log(
    `SMS partner received the reminder to ${String(reminder.body.to)}: "${String(reminder.body.text)}"`,
  );

  const complete = async (activityId: string) => {
    const task = await until(activityId, async () => {
      const { tasks } = await json<{ tasks: Task[] }>(
        "GET",
        `${opts.processesUrl}/tasks?status=open`,
        undefined,
        admin,
      );
      return tasks.find((t) => t.activityId === activityId && t.id.startsWith(instance.id));
    });
    await json("POST", `${opts.processesUrl}/tasks/${task.id}/complete`, {}, admin);
    log(`task "${task.name}" of ${task.assignee} completed`);
  };
  await complete("meeting-checklist");
  const token = await signAccessToken(
    { kind: "internal", sub: "m-ivanova", teams: ["managers"] },
    opts.filesTokenKey,
  );
  const path = `client-meeting/${instance.id}/contract.docx`;
  const versions = await until("the contract in files", () =>
    json<{ versions: Array<{ version: number; size: number }> }>(
      "GET",
      `${opts.filesUrl}/sandboxes/contracts/versions/${path}`,
      undefined,
      token,
    ),
  );
  log(
    `files: contracts/${path} stored from the DOCX template (${versions.versions[0]?.size} bytes)`,
  );
  await complete("approve-contract");
  await until("the signing request", async () =>
    (await received("esign")).find((r) => r.body.instanceId === instance.id),
  );
  await until("the rating request", async () =>
    (await received("sms")).find((r) => r.body.messageId === `${instance.id}.ask-rating`),
  );
  log(
    `e-signature partner received contract ${instance.id}.contract; the client was asked to rate the meeting`,
  );
}

// The demo's telephony scene (MISSION T1): the call centre's sales queue is served by two
// managers; one is on a call when another caller presses the IVR's callback key; the request
// crosses the bus gateway (signed webhook, route callbacks-in) and the processes module gives
// the task to the free manager.

export interface CallbackScenarioOptions {
  processesUrl: string;
  /** The processes API's admin token (Secret acme-processes-admin). */
  adminToken: string;
  partnerSimUrl: string;
  telephony: string;
  /** The bus gateway's public port (`/inbound/<partner>`). */
  gatewayUrl: string;
  log: (line: string) => void;
}

interface Task {
  id: string;
  processKey: string;
  name: string;
  assignee: string;
}

export async function runCallbackScenario(opts: CallbackScenarioOptions): Promise<void> {
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
  const telephony = `${opts.partnerSimUrl}/admin/partners/${opts.telephony}`;
  await json("PUT", `${telephony}/telephony`, {
    callbackUrl: `${opts.gatewayUrl}/inbound/${opts.telephony}`,
    queues: [{ name: "sales", key: "1", managers: ["m-ivanova", "m-petrov"] }],
  });
  const dial = async (from: string, digits: string) => {
    const { call } = await json<{ call: { id: string } }>("POST", `${telephony}/calls`, { from });
    return json<{
      call: { id: string; state: string; managerId?: string };
      callback?: { webhook: { status: number | null } };
    }>("POST", `${telephony}/calls/${call.id}/keys`, { digits });
  };
  const onCall = await dial("+79165550301", "1");
  log(`a caller pressed 1 (sales): ${onCall.call.state} to ${onCall.call.managerId}`);
  const asked = await dial("+79165550302", "1*");
  log(
    `another pressed 1 then * (call me back): sent to the gateway, answered ${asked.callback?.webhook.status}`,
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { tasks } = await json<{ tasks: Task[] }>(
      "GET",
      `${opts.processesUrl}/tasks?status=open`,
      undefined,
      opts.adminToken,
    );
    const task = tasks.find((t) => t.processKey === "callback-request");
    if (task) {
      log(`processes: task "${task.name}" for ${task.assignee} (the free manager)`);
      break;
    }
    if (Date.now() > deadline) throw new Error("the telephony scene waited in vain for the task");
    await new Promise((r) => setTimeout(r, 250));
  }
  await json("POST", `${telephony}/calls/${onCall.call.id}/hangup`);
}

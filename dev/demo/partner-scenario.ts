// The demo's partner story (MISSION B2/B4): an event reaches a partner through the bus
// gateway; then the partner goes down, the gateway buffers what keeps coming, and when
// the partner is back the buffer is delivered in order. `dev/demo.ts` calls it with
// the processes it started (gateway and partner-sim with real daprd sidecars).

export interface PartnerScenarioOptions {
  /** Publishes `payload` so that it reaches the gateway on `topic` (e.g. a core module's exported topic). */
  publish: (topic: string, payload: unknown) => Promise<void>;
  /** partner-sim's admin URL. */
  partnerSimUrl: string;
  /** The bus gateway's URL. */
  gatewayUrl: string;
  log: (line: string) => void;
  /** The partner to show (default: the first the gateway delivers to); partner-sim must play it under the same name. */
  partner?: string;
  /** The topic to publish (default: the partner's first consumed topic). */
  topic?: string;
  /** Builds message `n` (0-5) so that it passes the topic's schema; `n` is added when missing. */
  payload?: (n: number) => Record<string, unknown>;
}

interface GatewayPartner {
  name: string;
  consumes: string[];
  delivered: number;
  buffered: number;
  retrying: number;
  accepted: number;
  deadLettered: number;
  circuit: "closed" | "open";
}

interface Received {
  unique: number;
  messages: Array<{ idempotencyKey: string | null; body: unknown; duplicate: boolean }>;
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const answer = await fetch(url, init);
  if (!answer.ok)
    throw new Error(
      `${init?.method ?? "GET"} ${url}: HTTP ${answer.status} ${await answer.text()}`,
    );
  return (await answer.json()) as T;
}

async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (done(last)) return last;
    } catch {
      // not there yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(
    `partner scenario: timed out waiting for ${what} (last: ${JSON.stringify(last)?.slice(0, 300)})`,
  );
}

export async function runPartnerScenario(opts: PartnerScenarioOptions): Promise<void> {
  const { log } = opts;
  const partners = (await json<{ partners: GatewayPartner[] }>(`${opts.gatewayUrl}/v1/partners`))
    .partners;
  const partner = partners.find((p) =>
    opts.partner ? p.name === opts.partner : p.consumes.length > 0,
  );
  if (!partner)
    throw new Error(
      `partner scenario: the gateway delivers to no partner${opts.partner ? ` named ${opts.partner}` : ""}`,
    );
  const topic = opts.topic ?? partner.consumes[0]!;
  const admin = `${opts.partnerSimUrl}/admin/partners/${partner.name}`;
  const setMode = (mode: object) =>
    json(`${admin}/mode`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(mode),
    });
  const received = () => json<Received>(`${admin}/received`);
  const gatewayView = async () =>
    (await json<{ partners: GatewayPartner[] }>(`${opts.gatewayUrl}/v1/partners`)).partners.find(
      (p) => p.name === partner.name,
    )!;
  const build = (n: number, text: string) => ({
    n,
    ...(opts.payload ? opts.payload(n) : { text }),
  });

  await setMode({ mode: "ok" });
  const before = (await received()).unique;
  // The gateway's counts include earlier deliveries to this partner: the scenario reports its own.
  const base = await gatewayView();
  log(`partner ${partner.name}: publishing one event on ${topic}`);
  await opts.publish(topic, build(0, "Reminder: your meeting is tomorrow at 10:00"));
  const first = await waitFor("the first event at the partner", received, (r) => r.unique > before);
  const arrived = first.messages.filter((m) => !m.duplicate).at(-1);
  log(
    `  -> the partner received it (Idempotency-Key ${arrived?.idempotencyKey}): ${JSON.stringify(arrived?.body)}`,
  );

  log(`partner ${partner.name} goes down (stops listening); 5 more events are published`);
  await setMode({ mode: "down" });
  for (let n = 1; n <= 5; n++) await opts.publish(topic, build(n, `update ${n}`));
  const down = await waitFor(
    "the gateway buffering the 5 events",
    gatewayView,
    (p) => p.buffered + p.retrying >= 5,
  );
  log(
    `  -> gateway: circuit ${down.circuit}, ${down.buffered} buffered, ${down.retrying} retrying, nothing lost (kubectl get partner ${partner.name} shows it)`,
  );

  log(`partner ${partner.name} is back`);
  await setMode({ mode: "ok" });
  const back = await waitFor(
    "the buffer replayed",
    received,
    (r) => r.unique >= before + 6,
    120_000,
  );
  // This scenario's messages are the ones that arrived after the count taken at its start.
  const order = back.messages
    .filter((m) => !m.duplicate)
    .slice(before)
    .map((m) => (m.body as { n?: unknown }).n);
  // The partner answers before the gateway records the delivery: wait for the ledger to
  // say so too, so the counts printed are the settled ones, not a moment in between.
  const after = await waitFor(
    "the gateway recording the replay",
    gatewayView,
    (p) =>
      p.delivered + p.deadLettered - base.delivered - base.deadLettered >= 6 &&
      p.buffered + p.retrying + p.accepted === 0,
  );
  log(
    `  -> replayed in order: ${order.join(", ")}; gateway: ${after.delivered - base.delivered} delivered, ${after.buffered} buffered, ${after.deadLettered - base.deadLettered} dead letters`,
  );
}

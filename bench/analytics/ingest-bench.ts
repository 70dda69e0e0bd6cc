import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { consumedTopics } from "@symbiont/analytics";
import { salesDataset, type BusEvent } from "../../dev/datasets/sales-dataset.js";
import { startDaprd } from "../../dev/harness/daprd.js";
import { startFerretDb } from "../../dev/harness/ferretdb.js";
import { waitUntil } from "../../dev/harness/probe.js";
import { call, startModule, writeResources } from "../../dev/stack/service-stack.js";

// Analytics at scale, run as the local runner runs it: its daprd sidecar on RabbitMQ (one
// delivery at a time, as the operator renders it) and FerretDB v1 over the machine's
// PostgreSQL. (1) Events through the bus, one delivery at a time. (2) History imported in
// batches of 1,000 (POST /admin/events, two in flight) up to BENCH_EVENTS. (3) Report latency
// with that many events. (4) A rebuild of every figure from the event log.

const total = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const busTotal = Number(process.env.BENCH_BUS_EVENTS ?? 3_000);
const requests = Number(process.env.BENCH_REPORT_REQUESTS ?? 100);
const run = randomBytes(3).toString("hex");
const token = `bench-${run}`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/);
  return line ? Math.round(Number(line[1]) / 1024) : 0;
}

function* take(events: Iterable<BusEvent>, count: number): Generator<BusEvent> {
  let n = 0;
  for (const event of events) {
    if (n++ >= count) return;
    yield event;
  }
}

export async function ingestBench(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "symbiont-bench-analytics-"));
  const bus = `bench-${run}-internal-bus`;
  const ferret = await startFerretDb({ dir, backend: "postgresql" });
  const analytics = await startModule({
    service: "analytics",
    appId: `analytics-bench-${run}`,
    dir,
    databaseUrl: `${ferret.uri}analytics`,
    pubsubName: bus,
    pubsub: "rabbitmq",
    subscribes: [...consumedTopics],
    env: {
      LOG_LEVEL: "warn",
      MAX_BODY_BYTES: "8388608",
      ANALYTICS_CALLERS: `bench:admin:${createHash("sha256").update(token).digest("hex")}`,
    },
  });
  const publisher = await startDaprd({
    appId: `publisher-${run}`,
    resourcesDir: writeResources(dir, `publisher-${run}`, bus, "rabbitmq", []),
    dir,
  });
  const headers = { authorization: `Bearer ${token}` };
  const collected = async () =>
    (
      await call<{ events: number }>(
        "GET",
        `${analytics.url}/reports/collected`,
        undefined,
        headers,
      )
    ).body.events;
  const lines: string[] = [];
  try {
    // (1) Through the bus.
    const busEvents = [
      ...take(
        salesDataset({
          seed: 5,
          start: "2026-06-01",
          days: 400,
          ordersPerDay: 30,
          customers: 2_000,
        }).events,
        busTotal,
      ),
    ];
    const busStarted = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < busEvents.length) {
          const event = busEvents[next++]!;
          const answer = await fetch(`${publisher.url}/v1.0/publish/${bus}/${event.topic}`, {
            method: "POST",
            headers: { "content-type": "application/cloudevents+json" },
            body: JSON.stringify({
              specversion: "1.0",
              id: event.id,
              source: "bench",
              type: event.topic,
              data: event.data,
            }),
          });
          if (answer.status !== 204) throw new Error(`publish: ${answer.status}`);
        }
      }),
    );
    await waitUntil("the bus events applied", async () => (await collected()) >= busEvents.length, {
      timeoutMs: 3_600_000,
      intervalMs: 500,
    });
    const busSeconds = (performance.now() - busStarted) / 1000;

    // (2) History imported in batches.
    const { events } = salesDataset({
      seed: 21,
      start: "2024-12-02",
      days: 730,
      ordersPerDay: 230,
      customers: 100_000,
    });
    const source = take(events, total - busEvents.length);
    const importStarted = performance.now();
    let imported = busEvents.length;
    let duplicates = 0;
    const refused: unknown[] = [];
    let done = false;
    const checkpoints: string[] = [];
    let last = performance.now();
    await Promise.all(
      [0, 1].map(async () => {
        for (;;) {
          const batch: BusEvent[] = [];
          while (!done && batch.length < 1_000) {
            const item = source.next();
            if (item.done) done = true;
            else batch.push(item.value);
          }
          if (batch.length === 0) return;
          const answer = await call<{ duplicate: number; refused: unknown[] }>(
            "POST",
            `${analytics.url}/admin/events`,
            { events: batch },
            headers,
          );
          if (answer.status !== 200)
            throw new Error(`import: ${answer.status} ${JSON.stringify(answer.body)}`);
          duplicates += answer.body.duplicate;
          refused.push(...answer.body.refused);
          const before = imported;
          imported += batch.length;
          if (Math.floor(imported / 100_000) > Math.floor(before / 100_000)) {
            const now = performance.now();
            checkpoints.push(
              `${Math.floor(imported / 100_000) * 100}k: ${(100_000 / ((now - last) / 1000)).toFixed(0)}/s`,
            );
            console.error(
              `  ${imported} events, ${checkpoints.at(-1)}, analytics RSS ${rssMiB(analytics.process.pid)} MiB`,
            );
            last = now;
          }
        }
      }),
    );
    const importSeconds = (performance.now() - importStarted) / 1000;
    const stored = await collected();
    const rss = rssMiB(analytics.process.pid);

    // (3) Reports at that size.
    await call(
      "PUT",
      `${analytics.url}/plans/bench-month`,
      { metric: "income", period: "2026-11", target: 50_000_000 },
      headers,
    );
    const span = "from=2024-12-02&to=2026-11-30";
    const reports = [
      `/reports/cash-flow?${span}`,
      `/reports/cash-flow?${span}&granularity=month`,
      `/reports/cash-flow?${span}&format=csv`,
      `/reports/deals-by-channel?${span}`,
      `/reports/funnel?${span}`,
      "/reports/team-performance",
      "/reports/plan-vs-fact?at=2026-11-30",
      "/forecasts/income?horizon=14",
      "/forecasts/sales?granularity=week&horizon=8",
      "/reports/page",
    ];
    const table = [
      "| request | computed p50 ms | computed p99 ms | repeated p50 ms | repeated p99 ms |",
      "| --- | ---: | ---: | ---: | ---: |",
    ];
    let touch = 0;
    const timed = async (path: string) => {
      const started = performance.now();
      const response = await fetch(`${analytics.url}${path}`, { headers });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
      return performance.now() - started;
    };
    const summary = (samples: number[]) => {
      samples.sort((a, b) => a - b);
      return `${percentile(samples, 50).toFixed(1)} | ${percentile(samples, 99).toFixed(1)}`;
    };
    for (const path of reports) {
      // Computed: a new event arrives before each request, so the state has changed.
      const computed: number[] = [];
      for (let i = 0; i < Math.max(5, requests / 5); i++) {
        const n = ++touch;
        const at = new Date().toISOString();
        const orderId = `0c0c0c0c-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
        // A new person, a new order and its payment: whatever a report reads has changed.
        const events = [
          {
            id: `bench-tp-${n}`,
            topic: "touchpoint.recorded",
            data: {
              channel: "site_form",
              occurredAt: at,
              identity: { email: `bench${n}@example.com` },
            },
          },
          {
            id: `bench-oc-${n}`,
            topic: "order.created",
            data: {
              orderId,
              requestId: `request-${n}`,
              customerId: "bench-c",
              partnerId: "partner-1",
              offerId: orderId,
              offerVersion: 1,
              title: "Moving service",
              category: "services",
              unit: "move",
              quantity: 1,
              unitPrice: 10,
              amount: 10,
              currency: "RUB",
              commission: 1,
              status: "awaiting_payment",
              createdAt: at,
            },
          },
          {
            id: `bench-ps-${n}`,
            topic: "payment.succeeded",
            data: {
              paymentId: `pay-${orderId}`,
              orderId,
              amount: 10,
              currency: "RUB",
              acquirerRef: `acquirer-${n}`,
              paidAt: at,
            },
          },
        ];
        const touched = await call<{ applied: number }>(
          "POST",
          `${analytics.url}/admin/events`,
          { events },
          headers,
        );
        if (touched.body.applied !== 3) throw new Error(`touch: ${JSON.stringify(touched.body)}`);
        computed.push(await timed(path));
      }
      // Repeated: the same question again, nothing new in between.
      const repeated: number[] = [];
      for (let i = 0; i < requests; i++) repeated.push(await timed(path));
      table.push(
        `| \`GET ${path.replace(span, "<2 years>")}\` | ${summary(computed)} | ${summary(repeated)} |`,
      );
    }

    // (4) A rebuild from the event log.
    const rebuildStarted = performance.now();
    const rebuilt = await call<{ events: number; unreadable: number; pages: number }>(
      "POST",
      `${analytics.url}/admin/rebuild`,
      undefined,
      headers,
    );
    const rebuildSeconds = (performance.now() - rebuildStarted) / 1000;
    const afterRebuild = await collected();

    lines.push(
      `Through the bus (RabbitMQ, one delivery at a time): **${(busEvents.length / busSeconds).toFixed(0)} events/s** (${busEvents.length.toLocaleString("en")} events in ${busSeconds.toFixed(0)} s).`,
      "",
      `Imported history (batches of 1,000, two in flight): **${((stored - busEvents.length) / importSeconds).toFixed(0)} events/s** (${(stored - busEvents.length).toLocaleString("en")} in ${importSeconds.toFixed(0)} s; per 100k: ${checkpoints.join(", ")}). Events stored and applied: ${stored.toLocaleString("en")} (import duplicates ${duplicates}, refused ${refused.length}${refused.length > 0 ? `, first: ${JSON.stringify(refused[0])}` : ""}); analytics RSS after: ${rss} MiB.`,
      "",
      `Rebuild of every figure from the log at ${rebuilt.body.events.toLocaleString("en")} events: ${rebuildSeconds.toFixed(1)} s (${rebuilt.body.pages} pages, unreadable: ${rebuilt.body.unreadable}); events applied before it ${(stored + 3 * touch).toLocaleString("en")}, after it ${afterRebuild.toLocaleString("en")}.`,
      "",
      `Report latency with ${stored.toLocaleString("en")} events, one request at a time: computed (a new person, order and payment arrived just before, so the report is computed from the running aggregates) and repeated (the same question again: served from the report cache):`,
      "",
      ...table,
    );
    return lines;
  } finally {
    await publisher.stop();
    await analytics.stop();
    await ferret.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

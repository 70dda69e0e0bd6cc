import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { randomBytes } from "node:crypto";
import { CoreV1Api } from "@kubernetes/client-node";
import { recordBenchmarkSection } from "../../dev/harness/benchmarks-file.js";
import { startControlPlane, type ControlPlane } from "../../dev/harness/control-plane.js";
import { startDaprd, type Daprd } from "../../dev/harness/daprd.js";
import { startRabbitMq } from "../../dev/harness/rabbitmq.js";
import {
  gatewayFile,
  startGatewayProcess,
  startLedgerDb,
  startRedis,
  uniqueEcosystem,
  writeResources,
  renderResources,
  type StackOptions,
} from "../../dev/stack/gateway-stack.js";
import { cpuBetween, processCpu } from "./process-cpu.js";
import { listen } from "@symbiont/service-kit";

// Bare Dapr pub/sub (publisher -> internal bus -> subscriber) against the same traffic
// through the bus gateway (publisher -> internal bus -> gateway: schema, ledger -> corporate
// bus -> subscriber), 1 KB messages, in one run on one Redis. Prints msgs/s and p50/p99
// end-to-end latency for both, the ratio, and records them in BENCHMARKS.md.

const total = Number(process.env.BENCH_MESSAGES ?? 3_000);
const inFlight = Number(process.env.BENCH_IN_FLIGHT ?? 32);
const warmup = 200;
// Redis consumer workers of the publisher's and the subscriber's sidecars (default 10, the
// operator's for a bus without bulk deliveries); the gateway's sidecar has the operator's.
const consumers = process.env.BENCH_CONSUMERS ? Number(process.env.BENCH_CONSUMERS) : undefined;
// Messages published while the gateway is down, taken in after its restart (0: none).
const backlogCount = Number(process.env.BENCH_BACKLOG ?? 5000);
const pacedRate = Number(process.env.BENCH_PACED_RATE ?? 100);
const pacedCount = pacedRate * 10;
// The paced bare and gateway rows are each run in this many parts, taking turns.
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
// The ledger on FerretDB over PostgreSQL by default (what a cluster runs); BENCH_LEDGER=sqlite
// for FerretDB over SQLite.
const ledgerBackend = process.env.BENCH_LEDGER === "sqlite" ? "sqlite" : "postgresql";
// Both buses on Redis Streams by default; BENCH_BROKER=rabbitmq: both on RabbitMQ (the samples'
// corporate bus), a node of the bench's own with a vhost per bus, as the operator renders it.
const broker = process.env.BENCH_BROKER === "rabbitmq" ? "rabbitmq" : "redis";
// BENCH_REPLICAS=2: two gateway replicas (a Lease on a control plane of the bench's own) and,
// in the same run, the gateway again once the standby has stopped.
const replicas = Number(process.env.BENCH_REPLICAS ?? 1);

interface Result {
  name: string;
  messages: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** The machine's cores busy over the run, all processes (share of every core). */
  cpuBusy: number;
}

/** Busy and total CPU time of every core so far (ms). */
function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const all = times.user + times.nice + times.sys + times.irq + times.idle;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

const dir = mkdtempSync(join(tmpdir(), "gw-bench-"));
const ecosystem = uniqueEcosystem("bn");
const publisherId = `${ecosystem}-orders`;
const subscriberId = `${ecosystem}-bench-sink`;
const file = gatewayFile({
  ecosystem,
  routes: [
    {
      name: "bench-out",
      topic: "bench.gateway",
      direction: "export",
      schema: {
        type: "object",
        required: ["run", "n", "sentAt", "pad"],
        properties: { n: { type: "integer" }, pad: { type: "string" } },
      },
      redact: [],
      sign: false,
    },
  ],
});

/** The gateway's HTTP series of its sidecar's deliveries (not probes or scrapes). */
const deliveries = /route="\/events\//;

const arrivals = new Map<
  string,
  { expected: number; latencies: number[]; done: () => void; last: number }
>();
// The subscriber app listens as the services do (the kit's listen): Node's default keeps an
// idle connection 5 s, and a sidecar reusing one as Node closes it saw "connection reset by
// peer"; with no retries for the sink, those messages went to its dead-letter topic.
const sinkHandler: RequestListener = (req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    if (req.method === "POST" && req.url?.startsWith("/sink/")) {
      const event = JSON.parse(Buffer.concat(chunks).toString()) as {
        data: { run: string; sentAt: number };
      };
      const run = arrivals.get(event.data.run);
      if (run) {
        const now = performance.now();
        run.latencies.push(now - event.data.sentAt);
        run.last = now;
        if (run.latencies.length === run.expected) run.done();
      }
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(req.url === "/dapr/subscribe" ? "[]" : '{"status":"SUCCESS"}');
  });
};

/** Messages published while the gateway was down, and how it took them in once back. */
interface Backlog {
  messages: number;
  seconds: number;
  perDelivery: number;
}

/** One run of a load: what arrived, how long it took, the CPU it cost. */
interface Sample {
  name: string;
  rate: number | undefined;
  latencies: number[];
  seconds: number;
  cpu: { busy: number; total: number };
  byProcess: Array<[string, number]>;
}

async function runLoad(
  name: string,
  publisher: Daprd,
  pubsub: string,
  topic: string,
  count: number,
  /** Publishes per second; unset = as fast as the publishers go (saturation). */
  rate?: number,
  /** Runs once every message is published, before waiting for them to arrive. */
  published?: () => Promise<void>,
): Promise<Sample> {
  const run = `${name}-${count}-${Date.now()}`;
  const pad = "x".repeat(1024 - 60);
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const state = { expected: count, latencies: [] as number[], done: finish, last: 0 };
  arrivals.set(run, state);
  const started = performance.now();
  const cpuAtStart = cpuTimes();
  const processesAtStart = processCpu(ecosystem);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      if (rate !== undefined) {
        const due = started + (n * 1000) / rate - performance.now();
        if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
      }
      const body = JSON.stringify({ run, n, sentAt: performance.now(), pad });
      const answer = await fetch(`${publisher.url}/v1.0/publish/${pubsub}/${topic}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      if (answer.status !== 204)
        throw new Error(`publish ${name} ${n}: ${answer.status} ${await answer.text()}`);
      await answer.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  await published?.();
  const timeout = setTimeout(() => finish(), 180_000);
  await finished;
  clearTimeout(timeout);
  arrivals.delete(run);
  const cpuAtEnd = cpuTimes();
  if (state.latencies.length !== count)
    throw new Error(`${name}: ${state.latencies.length} of ${count} arrived`);
  return {
    name,
    rate,
    latencies: state.latencies,
    seconds: (state.last - started) / 1000,
    cpu: { busy: cpuAtEnd.busy - cpuAtStart.busy, total: cpuAtEnd.total - cpuAtStart.total },
    byProcess: cpuBetween(processesAtStart, processCpu(ecosystem)),
  };
}

/** One row of the table from its runs: messages and time added up, latencies pooled. */
function rowOf(samples: Sample[]): Result {
  const [first] = samples;
  if (!first) throw new Error("a row needs at least one run");
  const count = samples.reduce((sum, sample) => sum + sample.latencies.length, 0);
  const seconds = samples.reduce((sum, sample) => sum + sample.seconds, 0);
  // Where the row's CPU went: seconds per 1,000 messages, by process.
  const byProcess = new Map<string, number>();
  for (const sample of samples)
    for (const [label, spent] of sample.byProcess)
      byProcess.set(label, (byProcess.get(label) ?? 0) + spent);
  const perThousand = (spent: number) => ((spent * 1000) / count).toFixed(2);
  const all = [...byProcess.values()].reduce((sum, spent) => sum + spent, 0);
  console.error(
    `${first.name} (${first.rate === undefined ? "saturation" : `${first.rate}/s`}) CPU s per 1000 msgs: ${[
      ...byProcess,
    ]
      .sort((a, b) => b[1] - a[1])
      .filter(([, spent]) => (spent * 1000) / count >= 0.05)
      .map(([label, spent]) => `${label} ${perThousand(spent)}`)
      .join(", ")}; all ${perThousand(all)}`,
  );
  const sorted = samples.flatMap((sample) => sample.latencies).sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const busy = samples.reduce((sum, sample) => sum + sample.cpu.busy, 0);
  const total = samples.reduce((sum, sample) => sum + sample.cpu.total, 0);
  return {
    name: first.name,
    messages: count,
    seconds,
    perSecond: count / seconds,
    p50: at(0.5),
    p99: at(0.99),
    cpuBusy: busy / total,
  };
}

/**
 * The two paths' rows from `rounds` runs each, taking turns (bare, gateway, bare, ...): the
 * machine's speed drifts within minutes, and taking turns gives both paths the same share of
 * its good and bad moments.
 */
async function inTurns(
  rounds: number,
  count: number,
  bare: (count: number) => Promise<Sample>,
  through: (count: number) => Promise<Sample>,
): Promise<[Result, Result]> {
  const bareRuns: Sample[] = [];
  const throughRuns: Sample[] = [];
  for (let round = 0; round < rounds; round++) {
    const share = Math.floor(count / rounds) + (round < count % rounds ? 1 : 0);
    bareRuns.push(await bare(share));
    throughRuns.push(await through(share));
  }
  return [rowOf(bareRuns), rowOf(throughRuns)];
}

async function main(): Promise<void> {
  const sink = await listen(sinkHandler, 0, "127.0.0.1");
  // Everything started is stopped at the end, in reverse order, also when a part fails to start.
  const running: Array<() => Promise<unknown>> = [];
  const keep = <T extends { stop(): Promise<unknown> }>(part: T): T => {
    // Stopped once, whether by the run (the standbys) or at the end.
    const stop = part.stop.bind(part);
    let stopped: Promise<unknown> | undefined;
    (part as { stop(): Promise<unknown> }).stop = () => (stopped ??= stop());
    running.push(() => part.stop());
    return part;
  };
  try {
    const redis = broker === "redis" ? keep(await startRedis(dir)) : undefined;
    const rabbit =
      broker === "rabbitmq"
        ? keep(await startRabbitMq({ dir, vhosts: ["internal", "corporate"] }))
        : undefined;
    const db = keep(await startLedgerDb(dir, ledgerBackend));
    const stack: StackOptions = {
      dir,
      ...(rabbit
        ? {
            rabbitMq: {
              internalUrl: rabbit.url("internal"),
              corporateUrl: rabbit.url("corporate"),
            },
          }
        : { redisPort: redis!.port }),
      file,
      coreAppIds: [publisherId, subscriberId],
      nonCoreAppIds: [subscriberId],
      partnerUrls: {},
      // Delivery is not ordered, so the gateway's Subscriptions take bulk deliveries, and its
      // sidecar gets the operator's Redis consumer workers (enough to fill one).
      ordered: false,
    };
    const resources = writeResources(stack);
    // The publisher's and the subscriber's sidecars (the bare path whole, and the gateway
    // path's last hop): the same Components with the workers of a bus that carries no bulk
    // deliveries, or BENCH_CONSUMERS. More workers made the bare path slower here (its
    // subscriber takes as many deliveries at once as the sidecar has workers).
    const appsStack = { ...stack, dir: join(dir, "apps"), concurrency: consumers ?? 10 };
    const appResources = writeResources(appsStack);
    const workersOf = (options: StackOptions) =>
      renderResources(options)
        .filter((object) => object.kind === "Component")
        .flatMap((object) => object.spec?.metadata ?? [])
        .find((item) => item.name === "concurrency")?.value;
    const workers = { gateway: workersOf(stack), apps: workersOf(appsStack) };
    const subscription = (name: string, pubsubname: string, topic: string) =>
      stringify({
        apiVersion: "dapr.io/v2alpha1",
        kind: "Subscription",
        metadata: { name },
        spec: {
          pubsubname,
          topic,
          routes: { default: `/sink/${topic}` },
          deadLetterTopic: `${topic}.deadletter`,
        },
        scopes: [subscriberId],
      });
    writeFileSync(
      join(appResources, "sink-subscriptions.yaml"),
      `${subscription("sink-bare", file.internalPubsub, "bench.bare")}---\n${subscription("sink-gateway", file.corporatePubsub, "bench.gateway")}`,
    );
    let controlPlane: ControlPlane | undefined;
    const replicaEnv: Record<string, string> = {};
    const shared = {
      adminToken: randomBytes(24).toString("base64url"),
      appToken: randomBytes(24).toString("base64url"),
    };
    if (replicas > 1) {
      controlPlane = keep(
        await startControlPlane({ dir: join(dir, "control-plane"), crds: "none" }),
      );
      await controlPlane
        .kubeConfig()
        .makeApiClient(CoreV1Api)
        .createNamespace({ body: { metadata: { name: file.namespace } } });
      Object.assign(replicaEnv, {
        KUBECONFIG: controlPlane.kubeconfigPath,
        SYMBIONT_GATEWAY_LEASE: `${ecosystem}-bus-gateway`,
      });
    }
    const startReplica = (index: number) => {
      const replicaDir = join(dir, `gateway-${index}`);
      mkdirSync(replicaDir, { recursive: true });
      return startGatewayProcess({
        dir: replicaDir,
        resourcesDir: resources,
        file,
        databaseUrl: `${db.uri}ledger`,
        ...shared,
        env: {
          LOG_LEVEL: "warn",
          ...replicaEnv,
          POD_NAME: `gateway-${index}`,
          // BENCH_GATEWAY_NODE_OPTIONS: Node options of each gateway process; with
          // BENCH_GATEWAY_PROFILE=<dir>, also a CPU profile of each, written there when the
          // bench stops it.
          ...gatewayNodeOptions(),
          ...(process.env.BENCH_GATEWAY_PROFILE
            ? {
                SYMBIONT_CPU_PROFILE_DIR: process.env.BENCH_GATEWAY_PROFILE,
              }
            : {}),
        },
      });
    };
    const gateway = keep(await startReplica(0));
    const standbys = [];
    for (let index = 1; index < replicas; index++) standbys.push(keep(await startReplica(index)));
    const publisher = keep(
      await startDaprd({ appId: publisherId, resourcesDir: appResources, dir }),
    );
    keep(
      await startDaprd({
        appId: subscriberId,
        appPort: (sink.address() as AddressInfo).port,
        resourcesDir: appResources,
        dir,
      }),
    );
    const throughName =
      replicas > 1 ? `through the gateway, ${replicas} replicas` : "through the gateway";
    const load =
      (name: string, topic: string, rate?: number) =>
      (count: number): Promise<Sample> =>
        runLoad(name, publisher, file.internalPubsub, topic, count, rate);
    rowOf([await load("warmup-bare", "bench.bare")(warmup)]);
    rowOf([await load("warmup-gateway", "bench.gateway")(warmup)]);
    const beforeThrough = await (await fetch(`${gateway.url}/metrics`)).text();
    // At saturation one run each, bare first: a run split in parts would count a longer
    // path's filling and draining more than once.
    const [bare, through] = await inTurns(
      1,
      total,
      load("bare Dapr pub/sub", "bench.bare"),
      load(throughName, "bench.gateway"),
    );
    const afterThrough = await (await fetch(`${gateway.url}/metrics`)).text();
    const beforePaced = await (await fetch(`${gateway.url}/metrics`)).text();
    const [barePaced, throughPaced] = await inTurns(
      rounds,
      pacedCount,
      load("bare Dapr pub/sub", "bench.bare", pacedRate),
      load(throughName, "bench.gateway", pacedRate),
    );
    // Where a paced message's time goes inside the gateway: each stage's p99 over that row.
    const afterPaced = await (await fetch(`${gateway.url}/metrics`)).text();
    const stages: Array<[string, string, RegExp?]> = [
      ["/events handler", "symbiont_http_request_duration_seconds", deliveries],
      ["ledger flush", "symbiont_gateway_ledger_flush_seconds"],
      ["publish", "symbiont_gateway_publish_seconds"],
    ];
    console.error(
      `gateway stages at ${pacedRate}/s (p99, from the histograms' buckets): ${stages
        .map(([name, metric, labels]) => {
          const row = bucketsBetween(beforePaced, afterPaced, metric, labels);
          return `${name} <= ${quantileBound(row, 0.99)} (${row.total} observed)`;
        })
        .join(", ")}`,
    );
    // A backlog: messages published while the gateway is down, taken in once it is back (its
    // sidecar holds and retries what it had read). Timed from the restarted gateway's
    // readiness to its last message taken, from its own counter. With standbys, one of them
    // would take over instead (measured by the replica tests, not here).
    let backlog: Backlog | undefined;
    if (backlogCount > 0 && replicas === 1) {
      gateway.kill();
      let takenIn!: Backlog;
      await runLoad(
        "backlog",
        publisher,
        file.internalPubsub,
        "bench.gateway",
        backlogCount,
        undefined,
        async () => {
          await gateway.restart();
          const ready = performance.now();
          let metrics = "";
          while (sumOf(metrics, "symbiont_gateway_messages_total") < backlogCount) {
            if (performance.now() - ready > 180_000)
              throw new Error(
                `backlog: the gateway took ${sumOf(metrics, "symbiont_gateway_messages_total")} of ${backlogCount} in 180 s`,
              );
            await new Promise((resolve) => setTimeout(resolve, 20));
            metrics = await (await fetch(`${gateway.url}/metrics`)).text();
          }
          const entries = seriesBetween("", metrics, "symbiont_gateway_bulk_delivery_entries");
          takenIn = {
            messages: backlogCount,
            seconds: (performance.now() - ready) / 1000,
            perDelivery: entries.sum / entries.count,
          };
        },
      );
      backlog = takenIn;
    }
    // The same traffic once the standbys have stopped: one replica, in the same run.
    let alone: Result | undefined;
    let alonePaced: Result | undefined;
    if (standbys.length > 0) {
      for (const standby of standbys.splice(0)) await standby.stop();
      alone = rowOf([await load("through the gateway, one replica", "bench.gateway")(total)]);
      alonePaced = rowOf([
        await load("through the gateway, one replica", "bench.gateway", pacedRate)(pacedCount),
      ]);
    }
    // Means over each row of its own: at saturation a delivery carries several messages and
    // waits behind others, at the paced rate mostly one.
    for (const [row, before, after] of [
      ["saturation", beforeThrough, afterThrough],
      [`${pacedRate}/s`, beforePaced, afterPaced],
    ] as const) {
      const mean = (metric: string, labels?: RegExp) => {
        const { sum, count } = seriesBetween(before, after, metric, labels);
        return count > 0 ? sum / count : Number.NaN;
      };
      const ms = (metric: string, labels?: RegExp) => (mean(metric, labels) * 1000).toFixed(1);
      console.error(
        `gateway internals at ${row} (means over the row): ${mean("symbiont_gateway_bulk_delivery_entries").toFixed(1)} messages per delivery, /events handler ${ms("symbiont_http_request_duration_seconds", deliveries)} ms, ledger flush ${ms("symbiont_gateway_ledger_flush_seconds")} ms with ${mean("symbiont_gateway_ledger_flush_records").toFixed(1)} records, publish ${ms("symbiont_gateway_publish_seconds")} ms; garbage collection ${[
          "minor",
          "major",
          "incremental",
        ]
          .map((kind) => {
            const gc = seriesBetween(
              before,
              after,
              "nodejs_gc_duration_seconds",
              new RegExp(`kind="${kind}"`),
            );
            return `${kind} ${gc.count} (${(gc.sum * 1000).toFixed(0)} ms)`;
          })
          .join(", ")}`,
      );
    }
    const audit = await gateway.admin.get<{
      ok: boolean;
      entries: number;
      problems: string[];
    }>("/v1/ledger/audit");
    if (!audit.ok) console.error(`ledger audit problems: ${audit.problems.slice(0, 5).join("; ")}`);
    report({ bare, through, barePaced, throughPaced, alone, alonePaced }, audit, {
      workers,
      backlog,
    });
  } finally {
    for (const stop of running.reverse()) await stop();
    sink.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(
  results: {
    bare: Result;
    through: Result;
    barePaced: Result;
    throughPaced: Result;
    alone?: Result;
    alonePaced?: Result;
  },
  audit: { ok: boolean; entries: number },
  setup: { workers: { gateway?: string; apps?: string }; backlog?: Backlog },
): void {
  const { bare, through, barePaced, throughPaced, alone, alonePaced } = results;
  const row = (r: Result, what: string) =>
    `| ${r.name} | ${what} | ${r.messages} | ${r.perSecond.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${(r.cpuBusy * 100).toFixed(0)} % |`;
  const ratio = (through.perSecond / bare.perSecond) * 100;
  const addedP99 = throughPaced.p99 - barePaced.p99;
  const heading =
    (broker === "redis"
      ? "## Bus gateway (`bench/gateway`)"
      : "## Bus gateway on RabbitMQ (`bench/gateway`)") + (alone ? `, ${replicas} replicas` : "");
  const lines = [
    heading,
    "",
    `1 KB JSON messages published through a daprd sidecar, ${broker === "redis" ? `Redis Streams for both buses (consumer workers: the gateway's sidecar ${setup.workers.gateway}, the operator's for its bulk deliveries; the publisher's and the subscriber's ${setup.workers.apps})` : "RabbitMQ for both buses (a node of the bench's own, a vhost per bus, the operator's durable settings: persistent messages, publisher confirms)"}, everything on one machine with ${cpus().length} cores (${new Date().toISOString().slice(0, 10)}).`,
    `Saturation: ${inFlight} publishes in flight, as fast as they go (latency there is mostly queueing). Paced: ${pacedRate} msgs/s for 10 s, the latency a message sees under ordinary load. The paced load runs in ${rounds} parts, bare and gateway taking turns, so both paths see the same moments of the machine (its speed drifts within minutes); a row pools its parts' latencies.`,
    `CPU busy: the share of the machine's ${cpus().length} cores in use during the row's run, by every process (bench, sidecars, gateway, broker, ledger database).`,
    `Latency is end to end, from the publish call to the subscriber's handler. The gateway path adds a second bus hop, a schema check and a durable ledger record (FerretDB v1 over ${ledgerBackend === "sqlite" ? "SQLite" : "PostgreSQL"}, group-committed) before the acknowledgement. Delivery is not ordered, so the gateway takes bulk deliveries (gateway.bulkSubscribe: up to 100 messages, 1 ms to fill) and publishes what crosses in bulk.`,
    "",
    "| path | load | messages | msgs/s | p50 ms | p99 ms | CPU busy |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    row(bare, "saturation"),
    row(through, "saturation"),
    row(barePaced, `${pacedRate}/s`),
    row(throughPaced, `${pacedRate}/s`),
    ...(alone ? [row(alone, "saturation")] : []),
    ...(alonePaced ? [row(alonePaced, `${pacedRate}/s`)] : []),
    "",
    ...(alone
      ? [
          `${replicas} replicas (one active, elected on a Lease; a standby passes what its sidecar hands it to the active one) carry ${((through.perSecond / alone.perSecond) * 100).toFixed(0)} % of one replica's throughput in the same run (the issue's target: >= 150 %), and add ${(throughPaced.p50 - (alonePaced?.p50 ?? 0)).toFixed(1)} ms to the median at ${pacedRate} msgs/s. The ledger has one writer, so the replicas add availability, not throughput; the control plane the Lease needs runs on the same two cores.`,
          "",
        ]
      : []),
    `${alone ? `With ${replicas} replicas, gateway throughput at saturation` : "Gateway throughput at saturation"}: ${ratio.toFixed(0)} % of bare (target >= 80 %). p99 added at ${pacedRate} msgs/s: ${addedP99.toFixed(1)} ms (target <= 10 ms). Ledger audit after the run: ${audit.ok ? "ok" : "FAILED"}, ${audit.entries} entries.`,
    ...(setup.backlog
      ? [
          "",
          `A backlog of ${setup.backlog.messages} messages published while the gateway was down: taken in over ${setup.backlog.seconds.toFixed(1)} s from its restart's readiness (${(setup.backlog.messages / setup.backlog.seconds).toFixed(0)} msgs/s), ${setup.backlog.perDelivery.toFixed(1)} messages per bulk delivery.`,
        ]
      : []),
    "",
    "Run it: `make bench` (or `node --conditions=symbiont-source --import tsx bench/gateway/gateway-bench.ts`; `BENCH_MESSAGES`, `BENCH_IN_FLIGHT`, `BENCH_CONSUMERS`, `BENCH_PACED_RATE` change the load, `BENCH_ROUNDS` the parts the paced load runs in, `BENCH_BACKLOG` the backlog (0: none); `BENCH_BROKER=rabbitmq`, `BENCH_LEDGER=sqlite` the parts, `BENCH_REPLICAS=2` two gateway replicas; `BENCH_GATEWAY_PROFILE=<dir>` writes CPU profiles of the gateway there, `BENCH_GATEWAY_NODE_OPTIONS` gives its processes Node options).",
    "",
  ];
  console.log(lines.join("\n"));
  recordBenchmarkSection(lines.join("\n"));
}

await main();

/** NODE_OPTIONS for the gateway processes: the bench's own, and the profiler's preload. */
function gatewayNodeOptions(): { NODE_OPTIONS?: string } {
  const options = [
    process.env.BENCH_GATEWAY_NODE_OPTIONS,
    process.env.BENCH_GATEWAY_PROFILE
      ? `--import=${join(import.meta.dirname, "cpu-profile.mjs")}`
      : undefined,
  ].filter(Boolean);
  return options.length > 0 ? { NODE_OPTIONS: options.join(" ") } : {};
}

/** The samples `name` has in a /metrics text, by their labels (`{...}`, or "" for none). */
function* samplesOf(text: string, name: string): Generator<[string, number]> {
  for (const line of text.split("\n")) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (!rest.startsWith(" ") && !rest.startsWith("{")) continue;
    const labels = rest.startsWith("{") ? rest.slice(0, rest.indexOf("}") + 1) : "";
    yield [labels, Number(line.slice(line.lastIndexOf(" ") + 1))];
  }
}

/** A histogram's sum and count between two scrapes, over the series whose labels match. */
function seriesBetween(
  before: string,
  after: string,
  metric: string,
  labels?: RegExp,
): { sum: number; count: number } {
  const read = (text: string, part: "sum" | "count") => {
    let total = 0;
    for (const [found, value] of samplesOf(text, `${metric}_${part}`))
      if (!labels || labels.test(found)) total += value;
    return total;
  };
  return {
    sum: read(after, "sum") - read(before, "sum"),
    count: read(after, "count") - read(before, "count"),
  };
}

/** The sum of a counter's series in one scrape of /metrics. */
function sumOf(text: string, metric: string): number {
  let total = 0;
  for (const [, value] of samplesOf(text, metric)) total += value;
  return total;
}

/** A histogram's observations between two scrapes of /metrics: count at or below each bound. */
function bucketsBetween(
  before: string,
  after: string,
  metric: string,
  labels?: RegExp,
): { bounds: Array<[number, number]>; total: number } {
  const read = (text: string) => {
    const counts = new Map<number, number>();
    for (const [found, value] of samplesOf(text, `${metric}_bucket`)) {
      const le = /le="([^"]+)"/.exec(found)?.[1];
      if (le === undefined || (labels && !labels.test(found))) continue;
      const bound = le === "+Inf" ? Number.POSITIVE_INFINITY : Number(le);
      counts.set(bound, (counts.get(bound) ?? 0) + value);
    }
    return counts;
  };
  const first = read(before);
  const bounds = [...read(after)]
    .map(([bound, count]): [number, number] => [bound, count - (first.get(bound) ?? 0)])
    .sort((a, b) => a[0] - b[0]);
  return { bounds, total: bounds.at(-1)?.[1] ?? 0 };
}

/** The smallest bucket bound that holds the quantile q of the observations, as text. */
function quantileBound(row: { bounds: Array<[number, number]>; total: number }, q: number): string {
  if (row.total === 0) return "-";
  const bound = row.bounds.find(([, count]) => count >= q * row.total)?.[0];
  return bound === undefined || bound === Number.POSITIVE_INFINITY
    ? "beyond the last bucket"
    : `${bound * 1000} ms`;
}

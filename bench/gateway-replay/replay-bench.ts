import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import type { PartnerInput } from "@symbiont/contracts";
import { recordBenchmarkSection } from "../../dev/harness/benchmarks-file.js";
import { deliveredLingerMs } from "../../services/bus-gateway/src/domain/partner-dispatcher.js";
import { createPartnerSender } from "../../services/bus-gateway/src/domain/partner-sender.js";
import { createDaprBus } from "../../services/bus-gateway/src/events/dapr-bus.js";
import {
  gatewayFile,
  startGatewayProcess,
  startLedgerDb,
  startPublisher,
  startRedis,
  uniqueEcosystem,
  writeResources,
  type RunningGateway,
} from "../../dev/stack/gateway-stack.js";

// Two partners away for a while: the gateway takes their messages in at the live rate (paced
// publishes, 1 KB each) and buffers them in the ledger. Then each comes back in turn and the
// gateway replays its backlog: to one partner one call at a time, in order; to the other up
// to `delivery.concurrency` calls at once. Prints how fast each backlog drains against the
// rate it was taken in (target: >= 5x), and records it in BENCHMARKS.md.

const rate = Number(process.env.BENCH_INTAKE_RATE ?? 100);
const awaySeconds = Number(process.env.BENCH_AWAY_SECONDS ?? 60);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
const total = rate * awaySeconds;

const dir = mkdtempSync(join(tmpdir(), "gw-replay-bench-"));
const ecosystem = uniqueEcosystem("rb");
const publisherId = `${ecosystem}-orders`;

/** A partner: 503 while away; back, it answers 200 and notes each Idempotency-Key once. */
interface Partner {
  name: string;
  concurrency: number;
  away: boolean;
  keys: Set<string>;
  firstAt: number;
  lastAt: number;
  calls: number;
  drained: () => void;
}

const partners: Partner[] = [
  { name: "erp", concurrency: 1 },
  { name: "erp-parallel", concurrency },
].map((p) => ({
  ...p,
  away: true,
  keys: new Set<string>(),
  firstAt: 0,
  lastAt: 0,
  calls: 0,
  drained: () => undefined,
}));

const sink = createServer((req, res) => {
  const partner = partners.find((p) => req.url === `/${p.name}`);
  req.resume();
  req.on("end", () => {
    if (!partner) {
      res.writeHead(404).end();
      return;
    }
    partner.calls += 1;
    if (partner.away) {
      res.writeHead(503).end();
      return;
    }
    const key = String(req.headers["idempotency-key"] ?? "");
    const now = performance.now();
    if (partner.keys.size === 0) partner.firstAt = now;
    if (!partner.keys.has(key)) {
      partner.keys.add(key);
      partner.lastAt = now;
      if (partner.keys.size === total) partner.drained();
    }
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
});

interface Stats {
  partners: Array<{ name: string; buffered: number; retrying: number; accepted: number }>;
}

/** Polls the gateway's partner counts until `done` holds for the open entries of each. */
async function waitForOpen(
  gateway: RunningGateway,
  done: (open: number, name: string) => boolean,
): Promise<void> {
  for (;;) {
    const stats = await gateway.admin.get<Stats>("/v1/partners");
    if (stats.partners.every((p) => done(p.buffered + p.retrying + p.accepted, p.name))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The mean of a partner's successful calls through the sidecar's binding, in ms. */
function meanCallMs(metrics: string, partner: string): number {
  const sample = (suffix: string) => {
    const line = metrics
      .split("\n")
      .find(
        (l) =>
          l.startsWith(`symbiont_gateway_partner_delivery_seconds_${suffix}{`) &&
          l.includes(`partner="${partner}"`) &&
          l.includes(`outcome="delivered"`),
      );
    return Number(line?.split(" ").at(-1));
  };
  return (sample("sum") / sample("count")) * 1000;
}

/**
 * The floor of a replay one call at a time: the gateway's own send (same headers, same
 * binding, same sidecar), called in a loop with no ledger, no circuit and no rate limit.
 */
async function bareSends(
  gateway: RunningGateway,
  partner: PartnerInput,
  count: number,
): Promise<{ seconds: number; meanMs: number }> {
  const bus = createDaprBus(gateway.daprd.grpcPort, gateway.daprd.httpPort);
  const send = createPartnerSender(bus, new Map());
  const file = gatewayFile({ ecosystem, routes: [], partners: [partner] });
  const config = file.partners[0]!;
  const payload = JSON.stringify({ n: 0, pad: "x".repeat(1024 - 40) });
  try {
    const started = performance.now();
    for (let n = 0; n < count; n++) {
      const outcome = await send(config, {
        messageId: `bare-${n}`,
        topic: "order.created",
        attempts: 0,
        payload,
      });
      if (outcome.kind !== "delivered") throw new Error(`bare send ${n}: ${outcome.kind}`);
    }
    const seconds = (performance.now() - started) / 1000;
    return { seconds, meanMs: (seconds * 1000) / count };
  } finally {
    await bus.close();
  }
}

async function main(): Promise<void> {
  await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
  const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
  const redis = await startRedis(dir);
  const db = await startLedgerDb(dir, "postgresql");
  const partnerConfig = (partner: Partner): PartnerInput => ({
    name: partner.name,
    category: "industry",
    direction: "outbound",
    binding: `${ecosystem}-partner-${partner.name}`,
    consumes: ["order.created"],
    produces: [],
    delivery: {
      maxAttempts: 1_000,
      backoffInitialMs: 200,
      backoffMaxMs: 1_000,
      bufferTtlMs: 3_600_000,
      timeoutMs: 5_000,
      circuitThreshold: 3,
      concurrency: partner.concurrency,
    },
    // The partner's own limit bounds a replay; this one allows more than the gateway sends.
    rateLimit: { requestsPerSecond: 10_000, burst: 10_000 },
    auth: { type: "none" },
  });
  const file = gatewayFile({
    ecosystem,
    routes: [
      {
        name: "orders-out",
        topic: "order.created",
        direction: "export",
        schema: { type: "object", required: ["n"] },
        redact: [],
        sign: false,
      },
    ],
    partners: partners.map(partnerConfig),
  });
  const resources = writeResources({
    dir,
    redisPort: redis.port,
    file,
    coreAppIds: [publisherId],
    nonCoreAppIds: [],
    partnerUrls: Object.fromEntries(partners.map((p) => [p.name, `${sinkUrl}/${p.name}`])),
    ordered: false,
  });
  const gateway = await startGatewayProcess({
    dir,
    resourcesDir: resources,
    file,
    databaseUrl: `${db.uri}ledger`,
    env: { LOG_LEVEL: "warn" },
  });
  const publisher = await startPublisher(publisherId, resources, dir);
  try {
    const pad = "x".repeat(1024 - 40);
    const started = performance.now();
    for (let n = 0; n < total; n++) {
      const due = started + (n * 1000) / rate - performance.now();
      if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
      const answer = await fetch(
        `${publisher.url}/v1.0/publish/${file.internalPubsub}/order.created`,
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ n, pad }),
        },
      );
      if (answer.status !== 204) throw new Error(`publish ${n}: ${answer.status}`);
      await answer.arrayBuffer();
    }
    const intakeSeconds = (performance.now() - started) / 1000;
    // Every message in the ledger, waiting for both partners.
    await waitForOpen(gateway, (open) => open >= total);
    const rows: string[] = [];
    const summaries: string[] = [];
    // One partner comes back at a time, so each replay has the machine to itself.
    for (const partner of partners) {
      const done = new Promise<void>((resolve) => (partner.drained = resolve));
      const back = performance.now();
      partner.away = false;
      const timeout = setTimeout(() => partner.drained(), 600_000);
      await done;
      clearTimeout(timeout);
      if (partner.keys.size !== total)
        throw new Error(`${partner.name}: ${partner.keys.size} of ${total} arrived`);
      // The last delivered records are written just after the partner's answers.
      await waitForOpen(gateway, (open, name) => name !== partner.name || open === 0);
      const drainSeconds = (partner.lastAt - partner.firstAt) / 1000;
      const drainRate = total / drainSeconds;
      const callMs = meanCallMs(await (await fetch(`${gateway.url}/metrics`)).text(), partner.name);
      const how =
        partner.concurrency === 1 ? "one at a time, in order" : `${partner.concurrency} at once`;
      rows.push(
        `| ${how} | ${total} | ${rate} msgs/s | ${intakeSeconds.toFixed(1)} s | ${((partner.firstAt - back) / 1000).toFixed(1)} s | ${drainSeconds.toFixed(1)} s | ${drainRate.toFixed(0)} msgs/s | ${callMs.toFixed(1)} ms | ${(drainRate / rate).toFixed(1)}x |`,
      );
      summaries.push(`${(drainRate / rate).toFixed(1)}x live intake ${how}`);
    }
    // The same calls with nothing of the gateway around them, through the first partner's
    // binding (it is back, and its replay is over).
    // 10,000 calls (about 20 s): a shorter loop moved more than the replays it is set beside.
    const floorCount = Math.min(total, 10_000);
    const floor = await bareSends(gateway, partnerConfig(partners[0]!), floorCount);
    const floorRate = floorCount / floor.seconds;
    rows.push(
      `| the same sends alone, one at a time (no ledger) | ${floorCount} | - | - | - | ${floor.seconds.toFixed(1)} s | ${floorRate.toFixed(0)} msgs/s | ${floor.meanMs.toFixed(1)} ms | ${(floorRate / rate).toFixed(1)}x |`,
    );
    const audit = await gateway.admin.get<{ ok: boolean; pending: number }>("/v1/ledger/audit");
    const section = [
      "## Bus gateway: replaying a partner's backlog (`bench/gateway-replay`)",
      "",
      `Two partners away for ${awaySeconds} s while ${total} messages of 1 KB arrive at ${rate} msgs/s for each (Redis Streams, ledger on FerretDB v1 over PostgreSQL), everything on one machine with ${cpus().length} cores (${new Date().toISOString().slice(0, 10)}). The gateway buffers them in the ledger. Then the partners come back one after the other; the open circuit's next probe finds each back, and its backlog is replayed, each message under its Idempotency-Key: to the first one call at a time, in the order taken in (the default), to the second ${concurrency} calls at once (its PartnerIntegration's \`delivery.concurrency\`; it may see them out of order).`,
      "",
      "| replayed | backlog | taken in at | taken in over | first answer after | drained in | drained at | mean call | drain / intake |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      ...rows,
      "",
      `Replay of a ${awaySeconds}-second partner backlog: ${summaries.join("; ")} (target >= 5x). Each call goes through the gateway's sidecar (unary gRPC InvokeBinding, its HTTP binding, the partner), and a delivered entry's record shares a ledger write with the next ones (it may wait ${deliveredLingerMs} ms for them; the next call does not wait for it). One at a time, the calls bound the replay: the gateway's own send in a loop with no ledger drains at ${floorRate.toFixed(0)} msgs/s (${(floorRate / rate).toFixed(1)}x), the floor of an in-order replay through a Dapr binding on this machine; in the gateway the same call takes longer, since the gateway, its sidecar, the partner and the ledger's database share the two cores. Ledger audit after the run: ${audit.ok ? "ok" : "FAILED"}, pending ${audit.pending}.`,
      "",
      "Run it: `make bench` (or `node --conditions=symbiont-source --import tsx bench/gateway-replay/replay-bench.ts`; `BENCH_INTAKE_RATE`, `BENCH_AWAY_SECONDS` (600 is the ten-minute backlog) and `BENCH_CONCURRENCY` change it).",
      "",
    ].join("\n");
    console.log(section);
    recordBenchmarkSection(section);
  } finally {
    await publisher.stop();
    await gateway.stop();
    await db.stop();
    await redis.stop();
    sink.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

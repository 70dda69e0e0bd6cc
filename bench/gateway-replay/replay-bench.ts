import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { recordBenchmarkSection } from "../../dev/harness/benchmarks-file.js";
import {
  gatewayFile,
  startGatewayProcess,
  startLedgerDb,
  startPublisher,
  startRedis,
  uniqueEcosystem,
  writeResources,
} from "../../dev/stack/gateway-stack.js";

// A partner away for a while: the gateway takes its messages in at the live rate (paced
// publishes, 1 KB each) and buffers them in the ledger; then the partner comes back and the
// gateway replays the backlog, in order, one call at a time. Prints how fast the backlog
// drains against the rate it was taken in (target: >= 5x), and records it in BENCHMARKS.md.

const rate = Number(process.env.BENCH_INTAKE_RATE ?? 100);
const awaySeconds = Number(process.env.BENCH_AWAY_SECONDS ?? 60);
const total = rate * awaySeconds;

const dir = mkdtempSync(join(tmpdir(), "gw-replay-bench-"));
const ecosystem = uniqueEcosystem("rb");
const publisherId = `${ecosystem}-orders`;

// The partner: 503 while away; back, it answers 200 and notes each Idempotency-Key once.
const partner = { away: true, keys: new Set<string>(), firstAt: 0, lastAt: 0, calls: 0 };
let drained: () => void = () => undefined;
const sink = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
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
      if (partner.keys.size === total) drained();
    }
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
});

async function main(): Promise<void> {
  await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
  const partnerUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/orders`;
  const redis = await startRedis(dir);
  const db = await startLedgerDb(dir, "postgresql");
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
    partners: [
      {
        name: "erp",
        category: "industry",
        direction: "outbound",
        binding: `${ecosystem}-partner-erp`,
        consumes: ["order.created"],
        produces: [],
        delivery: {
          maxAttempts: 1_000,
          backoffInitialMs: 200,
          backoffMaxMs: 1_000,
          bufferTtlMs: 3_600_000,
          timeoutMs: 5_000,
          circuitThreshold: 3,
        },
        // The partner's own limit bounds a replay; this one allows more than the gateway sends.
        rateLimit: { requestsPerSecond: 10_000, burst: 10_000 },
        auth: { type: "none" },
      },
    ],
  });
  const resources = writeResources({
    dir,
    redisPort: redis.port,
    file,
    coreAppIds: [publisherId],
    nonCoreAppIds: [],
    partnerUrls: { erp: partnerUrl },
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
    // Every message in the ledger, waiting for the partner.
    for (;;) {
      const stats = await gateway.admin.get<{
        partners: Array<{ buffered: number; retrying: number; accepted: number }>;
      }>("/v1/partners");
      const erp = stats.partners[0]!;
      if (erp.buffered + erp.retrying + erp.accepted >= total) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const done = new Promise<void>((resolve) => (drained = resolve));
    const back = performance.now();
    partner.away = false;
    const timeout = setTimeout(() => drained(), 600_000);
    await done;
    clearTimeout(timeout);
    if (partner.keys.size !== total)
      throw new Error(`${partner.keys.size} of ${total} reached the partner`);
    const drainSeconds = (partner.lastAt - partner.firstAt) / 1000;
    const drainRate = total / drainSeconds;
    const probeSeconds = (partner.firstAt - back) / 1000;
    // The last delivered records are written just after the partner's answers.
    for (;;) {
      const stats = await gateway.admin.get<{
        partners: Array<{ buffered: number; retrying: number; accepted: number }>;
      }>("/v1/partners");
      const erp = stats.partners[0]!;
      if (erp.buffered + erp.retrying + erp.accepted === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const audit = await gateway.admin.get<{ ok: boolean; pending: number }>("/v1/ledger/audit");
    // One partner call through the sidecar's binding, on average (successful ones).
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    const sample = (suffix: string) =>
      Number(
        new RegExp(
          `^symbiont_gateway_partner_delivery_seconds_${suffix}\\{[^}]*outcome="delivered"[^}]*\\} ([0-9.e+-]+)$`,
          "m",
        ).exec(metrics)?.[1],
      );
    const callMs = (sample("sum") / sample("count")) * 1000;
    const section = [
      "## Bus gateway: replaying a partner's backlog (`bench/gateway-replay`)",
      "",
      `A partner away for ${awaySeconds} s while ${total} messages of 1 KB arrive at ${rate} msgs/s (Redis Streams, ledger on FerretDB v1 over PostgreSQL), everything on one machine with ${cpus().length} cores (${new Date().toISOString().slice(0, 10)}). The gateway buffers them in the ledger; when the partner answers again, its circuit's next probe (${probeSeconds.toFixed(1)} s later) finds it back and the backlog is replayed in order, one call at a time, each under its Idempotency-Key.`,
      "",
      "| backlog | taken in at | taken in over | drained in | drained at | drain / intake |",
      "| ---: | ---: | ---: | ---: | ---: | ---: |",
      `| ${total} | ${rate} msgs/s | ${intakeSeconds.toFixed(1)} s | ${drainSeconds.toFixed(1)} s | ${drainRate.toFixed(0)} msgs/s | ${(drainRate / rate).toFixed(1)}x |`,
      "",
      `Replay of a ${awaySeconds}-second partner backlog: ${(drainRate / rate).toFixed(1)}x live intake (target >= 5x). A partner call through the sidecar's binding took ${callMs.toFixed(1)} ms on average; the calls are made one after the other to keep the order, so they bound the replay. Partner calls: ${partner.calls} (503s while away and the probes included). Ledger audit after the run: ${audit.ok ? "ok" : "FAILED"}, pending ${audit.pending}.`,
      "",
      "Run it: `make bench` (or `node --conditions=symbiont-source --import tsx bench/gateway-replay/replay-bench.ts`; `BENCH_INTAKE_RATE` and `BENCH_AWAY_SECONDS` change the load: 600 s is the ten-minute backlog).",
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

import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GatewayFile } from "@symbiont/bus-gateway";
import { startPartnerSim, type PartnerSim, type ReceivedMessage } from "@symbiont/partner-sim";
import type { Daprd } from "../harness/daprd.js";
import { checkQueue } from "./total-queue.js";
import { startFerretDb, type FerretDb } from "../harness/ferretdb.js";
import { stopPid } from "../harness/managed-process.js";
import { startPostgres, type PostgresServer } from "../harness/postgres.js";
import { startRabbitMq, type RabbitMqNode } from "../harness/rabbitmq.js";
import {
  gatewayFile,
  publish,
  publishSurely,
  startGatewayProcess,
  startPublisher,
  startRedis,
  uniqueEcosystem,
  writeResources,
  type Redis,
  type RunningGateway,
  type StackOptions,
} from "../stack/gateway-stack.js";

// The fault suite: one stack of real parts (the gateway and its daprd, Redis with an
// fsync'ed append-only file as both buses, FerretDB over a PostgreSQL of its own, the
// partner simulator), a stream of numbered messages published by a core module, exported to
// the corporate bus and delivered to partner `sms`, and one fault per scenario while it
// flows. Each scenario ends with a total-queue check in the style of Jepsen: what was sent,
// what the partner applied (first receipt of an Idempotency-Key), lost, applied twice (one
// message under two keys: effect-level duplicates; the same key again is deduped by the
// partner and counted apart as redelivered), and reordered (delivery to a partner follows
// the order of acceptance). Durations are parameters: `make test` runs seconds of each,
// `make chaos` the long versions.

export interface Durations {
  /** Messages per scenario. */
  messages: number;
  /** S1: gateway SIGKILLs during the stream. */
  kills: number;
  /** S3, S4, S5: how long the broker, the database, the partner stay away. */
  outageSeconds: number;
  /** How long the stack may take to deliver everything after the stream, at most. */
  settleSeconds: number;
  /** S8: EcosystemModules created while the operator and the API server are hit. */
  modules: number;
}

export const shortDurations: Durations = {
  messages: 100,
  kills: 1,
  outageSeconds: 5,
  settleSeconds: 180,
  modules: 50,
};

export const longDurations: Durations = {
  messages: 2_000,
  kills: 10,
  outageSeconds: 60,
  settleSeconds: 900,
  modules: 1_000,
};

export interface Tally {
  id: string;
  title: string;
  sent: number;
  delivered: number;
  lost: number;
  /** Messages applied under more than one Idempotency-Key (applied twice). */
  duplicated: number;
  /** Receipts of a key already applied (the partner's dedupe kept them from applying twice). */
  redelivered: number;
  /** Where order is promised (a partner's deliveries); absent where it is not (S8). */
  reordered?: number;
  /** Poison messages published and those the ledger holds as dead letters (S7). */
  poison?: { sent: number; recorded: number };
  /** The ledger audit after the scenario. */
  auditOk: boolean;
  /** Which messages (or modules) were lost, the first ten. */
  missing?: (number | string)[];
  auditProblems: string[];
  seconds: number;
}

/** One path of the stream: the core module's sidecar, the bus gateway and its buses. */
export interface Lane {
  file: GatewayFile;
  gateway: RunningGateway;
  core: Daprd;
}

/** The lane whose buses are on a RabbitMQ node of the suite's own (S3b). */
export interface RabbitLane extends Lane {
  rabbit: RabbitMqNode;
}

/** The Redis lane (the stack itself), and the RabbitMQ lane, started when a scenario needs it. */
export interface ChaosStack extends Lane {
  dir: string;
  redis: Redis;
  postgres: PostgresServer;
  db: FerretDb;
  sim: PartnerSim;
  rabbitLane(): Promise<RabbitLane>;
  stop(): Promise<void>;
}

const topic = "notification.sms";

export async function startChaosStack(): Promise<ChaosStack> {
  const dir = mkdtempSync(join(tmpdir(), "chaos-"));
  const redis = await startRedis(dir, { persistent: true });
  const postgres = await startPostgres({ dir, name: "ledger-postgres" });
  const db = await startFerretDb({
    dir,
    backend: "postgresql",
    postgresServer: postgres.url,
    name: "ledger-db",
  });
  const sim = await startPartnerSim(
    { adminPort: 0, host: "127.0.0.1", partners: [{ name: "sms", kind: "sms", port: 0 }] },
    { logLevel: "silent" },
  );
  const lane = await startLane({
    dir,
    sim,
    databaseUrl: `${db.uri}ledger`,
    broker: { redisPort: redis.port },
  });
  let rabbit: Promise<RabbitLane> | undefined;
  const stack: ChaosStack = {
    dir,
    ...lane,
    redis,
    postgres,
    db,
    sim,
    rabbitLane: () => {
      rabbit ??= startRabbitLane(dir, sim, `${db.uri}ledger_rabbitmq`);
      return rabbit;
    },
    stop: async () => {
      const rabbitLane = await rabbit?.catch(() => undefined);
      if (rabbitLane) {
        await rabbitLane.gateway.stop();
        await rabbitLane.core.stop();
        await rabbitLane.rabbit.stop();
      }
      await stack.gateway.stop();
      await stack.core.stop();
      await stack.sim.stop();
      await stack.db.stop();
      await stack.postgres.stop();
      await stack.redis.stop();
      if (!process.env.SYMBIONT_KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

/**
 * Both buses on a RabbitMQ node of the suite's own (a vhost each), the Components rendered by
 * the operator as for a user who declares `type: rabbitmq`; its own gateway, ecosystem and
 * ledger database, the same partner.
 */
async function startRabbitLane(dir: string, sim: PartnerSim, databaseUrl: string) {
  const laneDir = join(dir, "rabbitmq-lane");
  mkdirSync(laneDir, { recursive: true });
  const rabbit = await startRabbitMq({ dir: laneDir, vhosts: ["internal", "corporate"] });
  try {
    const lane = await startLane({
      dir: laneDir,
      sim,
      databaseUrl,
      broker: {
        rabbitMq: { internalUrl: rabbit.url("internal"), corporateUrl: rabbit.url("corporate") },
      },
    });
    return { ...lane, rabbit };
  } catch (error) {
    await rabbit.stop();
    throw error;
  }
}

async function startLane(options: {
  dir: string;
  sim: PartnerSim;
  databaseUrl: string;
  broker: Pick<StackOptions, "redisPort" | "rabbitMq">;
}): Promise<Lane> {
  const ecosystem = uniqueEcosystem("ch");
  const file = gatewayFile({
    ecosystem,
    routes: [
      {
        name: "sms-out",
        topic,
        direction: "export",
        schema: { type: "object", required: ["run", "n"] },
        redact: [],
        sign: false,
      },
    ],
    partners: [
      {
        name: "sms",
        category: "messaging",
        direction: "outbound",
        binding: `${ecosystem}-partner-sms`,
        consumes: [topic],
        produces: [],
        delivery: {
          maxAttempts: 1_000,
          backoffInitialMs: 200,
          backoffMaxMs: 2_000,
          bufferTtlMs: 3_600_000,
          timeoutMs: 3_000,
          circuitThreshold: 3,
        },
        rateLimit: { requestsPerSecond: 200, burst: 200 },
        auth: { type: "none" },
      },
    ],
  });
  const resources = writeResources({
    dir: options.dir,
    ...options.broker,
    file,
    coreAppIds: [`${ecosystem}-processes`],
    nonCoreAppIds: [],
    partnerUrls: { sms: options.sim.partnerUrl("sms") },
  });
  const gateway = await startGatewayProcess({
    dir: options.dir,
    resourcesDir: resources,
    file,
    databaseUrl: options.databaseUrl,
  });
  const core = await startPublisher(`${ecosystem}-processes`, resources, options.dir);
  return { file, gateway, core };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fault injected when the stream reaches message `at`. */
interface Fault {
  at: number;
  act: () => Promise<void>;
}

interface Scenario {
  id: string;
  title: (d: Durations) => string;
  /** The stream runs through the RabbitMQ lane (default: the Redis lane, the stack itself). */
  lane?: "rabbitmq";
  /** Faults at points of the stream, and what puts things right after it. */
  faults: (
    stack: ChaosStack,
    d: Durations,
    lane: Lane,
  ) => { faults: Fault[]; after?: () => Promise<void> };
  /** Poison messages after every `poisonEvery`-th message (S7). */
  poisonEvery?: number;
  /** Left out of the short version (`make test`): too slow for its budget. */
  longOnly?: boolean;
}

const setMode = (stack: ChaosStack, mode: object) =>
  fetch(`${stack.sim.adminUrl}/admin/partners/sms/mode`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(mode),
  }).then(async (answer) => {
    if (!answer.ok) throw new Error(`partner mode ${JSON.stringify(mode)}: ${answer.status}`);
  });

/** Spreads `count` points evenly over a stream of `messages`. */
const points = (messages: number, count: number) =>
  Array.from({ length: count }, (_, i) => Math.floor(((i + 1) * messages) / (count + 1)));

export const scenarios: Scenario[] = [
  {
    id: "S1",
    title: (d) => `gateway SIGKILLed x${d.kills} during the stream, restarted`,
    faults: (stack, d) => ({
      faults: points(d.messages, d.kills).map((at) => ({
        at,
        act: async () => {
          stack.gateway.kill();
          await stack.gateway.restart();
        },
      })),
    }),
  },
  {
    id: "S2",
    title: () => "the gateway's daprd SIGKILLed during the stream, restarted",
    faults: (stack, d) => ({
      faults: [
        {
          at: Math.floor(d.messages / 3),
          act: async () => {
            stack.gateway.killSidecar();
            await stack.gateway.restartSidecar();
          },
        },
      ],
    }),
  },
  {
    id: "S3",
    title: (d) =>
      `Redis (both buses, append-only file) SIGKILLed, back after ${Math.min(d.outageSeconds, 30)} s`,
    faults: (stack, d) => ({
      faults: [
        {
          at: Math.floor(d.messages / 3),
          act: async () => {
            stack.redis.kill();
            // Publishers retry up to 60 s: the broker is back well before.
            await sleep(Math.min(d.outageSeconds, 30) * 1000);
            stack.redis = await startRedis(stack.dir, {
              persistent: true,
              port: stack.redis.port,
              name: `redis-${Date.now()}`,
            });
          },
        },
      ],
    }),
  },
  {
    id: "S3b",
    lane: "rabbitmq",
    // Loses the message published as the node dies (Dapr 1.18's RabbitMQ pub/sub answers
    // success when the broker's confirm never comes; RELIABILITY.md): in `make chaos`, where
    // it reports the loss, and not in `make test` until daprd carries a fix.
    longOnly: true,
    title: (d) =>
      `RabbitMQ (both buses, durable queues, a node of its own) SIGKILLed, back after ${Math.min(d.outageSeconds, 30)} s`,
    faults: (stack, d, lane) => {
      let restart: Promise<void> | undefined;
      const { rabbit } = lane as RabbitLane;
      return {
        faults: [
          {
            at: Math.floor(d.messages / 3),
            act: async () => {
              rabbit.kill();
              // The stream goes on: publishes fail (not counted as sent) until the node is back.
              restart = sleep(Math.min(d.outageSeconds, 30) * 1000).then(() => rabbit.start());
            },
          },
        ],
        after: async () => {
          await restart;
        },
      };
    },
  },
  {
    id: "S4",
    title: (d) => `the ledger's PostgreSQL stopped for ${d.outageSeconds} s during the stream`,
    faults: (stack, d) => {
      let restart: Promise<void> | undefined;
      return {
        faults: [
          {
            at: Math.floor(d.messages / 3),
            act: async () => {
              await stack.postgres.stop();
              // The stream goes on while the database is away.
              restart = sleep(d.outageSeconds * 1000).then(() => stack.postgres.start());
            },
          },
        ],
        after: async () => {
          await restart;
        },
      };
    },
  },
  {
    id: "S5",
    title: (d) => `partner down for ${d.outageSeconds} s during the stream`,
    faults: (stack, d) => {
      let back: Promise<void> | undefined;
      return {
        faults: [
          {
            at: Math.floor(d.messages / 3),
            act: async () => {
              await setMode(stack, { mode: "down" });
              back = sleep(d.outageSeconds * 1000).then(() => setMode(stack, { mode: "ok" }));
            },
          },
        ],
        after: async () => {
          await back;
        },
      };
    },
  },
  {
    id: "S6",
    title: () => "partner answers 5 % 500s and 1 % timeouts after applying",
    faults: (stack) => ({
      faults: [
        {
          at: 0,
          // Longer than the partner's delivery timeout (3 s): the gateway gives up and retries.
          act: () =>
            setMode(stack, { mode: "flaky", errorRate: 0.05, timeoutRate: 0.01, timeoutMs: 4_000 }),
        },
      ],
      after: () => setMode(stack, { mode: "ok" }),
    }),
  },
  {
    id: "S7",
    title: () => "poison messages (not a CloudEvent, over the body limit) mixed in",
    poisonEvery: 10,
    faults: () => ({ faults: [] }),
  },
  {
    id: "S9",
    // A graceful restart of the gateway took about 35 s here: too slow for `make test`.
    longOnly: true,
    title: (d) => `gateway restarted gracefully x${d.kills} under load (SIGTERM, drain, start)`,
    faults: (stack, d) => ({
      faults: points(d.messages, d.kills).map((at) => ({
        at,
        act: async () => {
          await stopPid(stack.gateway.process.pid, 30_000);
          await stack.gateway.restart();
        },
      })),
    }),
  },
];

/** Runs one scenario on the stack and counts. */
export async function runScenario(
  stack: ChaosStack,
  scenario: Scenario,
  d: Durations,
  log: (line: string) => void = () => undefined,
): Promise<Tally> {
  const lane: Lane = scenario.lane === "rabbitmq" ? await stack.rabbitLane() : stack;
  const started = performance.now();
  const run = `${scenario.id.toLowerCase()}-${Date.now().toString(36)}`;
  const { faults, after } = scenario.faults(stack, d, lane);
  const poisonBefore = await deadLetterDrops(lane);
  let sent = 0;
  let poisonSent = 0;
  for (let n = 0; n < d.messages; n++) {
    for (const fault of faults.filter((f) => f.at === n)) {
      log(`  ${scenario.id}: fault at message ${n}`);
      await fault.act();
    }
    await publishSurely(lane.core, lane.file.internalPubsub, topic, { run, n }, `${run}-${n}`, {
      // A RabbitMQ node takes tens of seconds to boot on a busy machine, after its outage.
      timeoutMs: 180_000,
    });
    sent += 1;
    if (scenario.poisonEvery && n % scenario.poisonEvery === 0) {
      poisonSent += await publishPoison(lane, `${run}-poison-${n}`);
    }
  }
  await after?.();
  log(`  ${scenario.id}: ${sent} sent, waiting for the partner`);
  const deadline = Date.now() + d.settleSeconds * 1000;
  let applied = mine(stack, run);
  while (new Set(applied.map((m) => numberOf(m))).size < sent && Date.now() < deadline) {
    await sleep(500);
    applied = mine(stack, run);
  }
  const check = checkQueue(
    sent,
    allOf(stack, run).map((m) => ({ n: numberOf(m), duplicate: m.duplicate })),
  );
  const poison = scenario.poisonEvery
    ? await (async () => {
        const wait = Date.now() + 60_000;
        let recorded = (await deadLetterDrops(lane)) - poisonBefore;
        while (recorded < poisonSent && Date.now() < wait) {
          await sleep(500);
          recorded = (await deadLetterDrops(lane)) - poisonBefore;
        }
        return { sent: poisonSent, recorded };
      })()
    : undefined;
  const audited = await audit(lane);
  return {
    id: scenario.id,
    title: scenario.title(d),
    sent,
    delivered: check.delivered,
    lost: check.lost + (poison ? poison.sent - Math.min(poison.recorded, poison.sent) : 0),
    duplicated: check.duplicated,
    redelivered: check.redelivered,
    reordered: check.reordered,
    ...(poison ? { poison } : {}),
    auditOk: audited.ok,
    auditProblems: audited.problems.slice(0, 5),
    missing: Array.from({ length: sent }, (_, n) => n)
      .filter((n) => !applied.some((m) => numberOf(m) === n))
      .slice(0, 10),
    seconds: Math.round((performance.now() - started) / 1000),
  };
}

function numberOf(message: ReceivedMessage): number {
  return (message.body as { n: number }).n;
}

function allOf(stack: ChaosStack, run: string): ReceivedMessage[] {
  return (stack.sim.endpoints.get("sms")?.log.messages() ?? []).filter(
    (m) => (m.body as { run?: string } | null)?.run === run,
  );
}

function mine(stack: ChaosStack, run: string): ReceivedMessage[] {
  return allOf(stack, run).filter((m) => !m.duplicate);
}

async function deadLetterDrops(stack: Lane): Promise<number> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      return (await stack.gateway.admin.get<{ count: number }>("/v1/deadletters?kind=drop")).count;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`the gateway's admin API does not answer: ${(error as Error).message}`);
      await sleep(500);
    }
  }
}

/**
 * The ledger's audit, read once the gateway's admin API answers again (a scenario may have just
 * restarted it). The audit itself rechecks what a write in flight could make look wrong, so a
 * problem it reports is one.
 */
async function audit(stack: Lane): Promise<{ ok: boolean; problems: string[] }> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await stack.gateway.admin.get<{ ok: boolean; problems: string[] }>("/v1/ledger/audit");
    } catch (error) {
      if (Date.now() > deadline) return { ok: false, problems: [(error as Error).message] };
      await sleep(1_000);
    }
  }
}

/** Two messages the gateway can never take; resolves with how many the broker accepted. */
async function publishPoison(stack: Lane, id: string): Promise<number> {
  let accepted = 0;
  const huge = await publish(
    stack.core,
    stack.file.internalPubsub,
    topic,
    { run: "poison", n: -1, pad: "x".repeat(300 * 1024) },
    `${id}-huge`,
  );
  if (huge === 204) accepted += 1;
  // A CloudEvent whose id is a number: Dapr passes it on, the gateway cannot key it.
  const notEvent = await fetch(
    `${stack.core.url}/v1.0/publish/${stack.file.internalPubsub}/${topic}`,
    {
      method: "POST",
      headers: { "content-type": "application/cloudevents+json" },
      body: JSON.stringify({ specversion: "1.0", id: 42, source: id, type: "x", data: {} }),
    },
  );
  await notEvent.arrayBuffer();
  if (notEvent.status === 204) accepted += 1;
  return accepted;
}

/** One line per scenario, as the report prints it. */
export function reportTable(tallies: readonly Tally[]): string {
  const header =
    "| scenario | fault | sent | delivered | lost | applied twice | redelivered (deduped) | reordered | poison recorded | audit | s |";
  const rule = "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |";
  const rows = tallies.map(
    (t) =>
      `| ${t.id} | ${t.title} | ${t.sent} | ${t.delivered} | ${t.lost} | ${t.duplicated} | ${t.redelivered} | ${t.reordered ?? "-"} | ${t.poison ? `${t.poison.recorded}/${t.poison.sent}` : "-"} | ${t.auditOk ? "ok" : "PROBLEMS"} | ${t.seconds} |`,
  );
  return [header, rule, ...rows].join("\n");
}

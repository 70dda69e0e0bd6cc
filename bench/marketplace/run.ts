import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { startFerretDb } from "../../dev/harness/ferretdb.js";
import { publishSurely } from "../../dev/stack/gateway-stack.js";
import { startMarketplaceStack } from "../../dev/stack/marketplace-stack.js";
import { call, startModule, type RunningModule } from "../../dev/stack/service-stack.js";

// Marketplace order throughput, two ways. The API alone: orders placed through
// `POST /v1/admin/orders` (each stored, with `order.created` and `payment.requested` in the
// outbox and published through the sidecar), several in flight. Through the real stack:
// orders requested by the user cabinet over the corporate bus, through the bus gateway, paid
// by the acquiring partner in partner-sim with signed callbacks, until every order is paid.
// FerretDB v1 over the machine's PostgreSQL. Not a test: it prints figures for BENCHMARKS.md.

const apiOrders = Number(process.env.BENCH_API_ORDERS ?? 2_000);
const stackOrders = Number(process.env.BENCH_STACK_ORDERS ?? 300);
const singleOrders = Number(process.env.BENCH_SINGLE_ORDERS ?? 20);
const inFlight = Number(process.env.BENCH_IN_FLIGHT ?? 16);
const run = randomBytes(3).toString("hex");

interface Order {
  id: string;
  requestId: string;
  status: string;
  createdAt: string;
  history: Array<{ transition: string; at: string }>;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function must<T>(method: string, url: string, body: unknown, token: string): Promise<T> {
  const answer = await call<T>(method, url, body, { authorization: `Bearer ${token}` });
  if (answer.status >= 300)
    throw new Error(`${method} ${url}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** A courier with one offer; answers the offer id. */
async function seed(url: string, adminToken: string): Promise<string> {
  const { key } = await must<{ key: { token: string } }>(
    "POST",
    `${url}/v1/admin/partners`,
    { id: "bench-couriers", name: "Bench Couriers", kind: "courier" },
    adminToken,
  );
  const offer = await must<{ id: string }>(
    "POST",
    `${url}/v1/partner/offers`,
    {
      title: "Same-day delivery",
      category: "delivery",
      unit: "delivery",
      price: { amount: 350, currency: "RUB" },
      sla: { responseHours: 1, completionHours: 12 },
    },
    key.token,
  );
  return offer.id;
}

async function inParallel(count: number, work: (n: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

async function apiAlone(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "symbiont-bench-marketplace-api-"));
  const ferret = await startFerretDb({ dir, backend: "postgresql" });
  const adminToken = `bench-admin-token-${run}-0123456789`;
  let marketplace: RunningModule | undefined;
  try {
    marketplace = await startModule({
      service: "marketplace",
      appId: `marketplace-bench-${run}`,
      dir,
      databaseUrl: `${ferret.uri}marketplace`,
      pubsubName: `bench-${run}-internal-bus`,
      pubsub: "in-memory",
      env: { LOG_LEVEL: "warn", MARKETPLACE_ADMIN_TOKEN: adminToken },
    });
    const offerId = await seed(marketplace.url, adminToken);
    const latencies: number[] = [];
    const started = performance.now();
    await inParallel(apiOrders, async (n) => {
      const begun = performance.now();
      await must(
        "POST",
        `${marketplace!.url}/v1/admin/orders`,
        {
          requestId: `api-${run}-${n}`,
          offerId,
          customerId: `c-${n % 500}`,
          quantity: 1 + (n % 5),
        },
        adminToken,
      );
      latencies.push(performance.now() - begun);
    });
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    console.log(
      `| API alone (POST /v1/admin/orders) | ${apiOrders} | ${inFlight} | ${(apiOrders / seconds).toFixed(0)} orders/s | ${percentile(latencies, 50).toFixed(1)} | ${percentile(latencies, 99).toFixed(1)} |`,
    );
  } finally {
    await marketplace?.stop();
    await ferret.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function throughTheStack(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "symbiont-bench-marketplace-stack-"));
  const stack = await startMarketplaceStack({ dir });
  try {
    const url = stack.marketplace.url;
    const offerId = await seed(url, stack.adminToken);
    const paidOrders = async () =>
      (
        await must<{ orders: Order[]; total: number }>(
          "GET",
          `${url}/v1/admin/orders?status=paid&pageSize=1000`,
          undefined,
          stack.adminToken,
        )
      ).orders;
    const latency = (o: Order) =>
      Date.parse(o.history.find((s) => s.transition === "pay")!.at) - Date.parse(o.createdAt);
    // One order at a time first: the latency an order sees when nothing queues before it.
    for (let n = 0; n < singleOrders; n++) {
      await publishSurely(
        stack.userCabinet,
        stack.corporatePubsub,
        "marketplace.order.requested",
        { requestId: `single-${run}-${n}`, offerId, customerId: `c-${n}`, quantity: 1 },
        `marketplace.order.requested:single-${run}-${n}`,
      );
      while ((await paidOrders()).length < n + 1)
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const single = (await paidOrders()).map(latency).sort((a, b) => a - b);
    console.log(
      `| real stack, one order at a time | ${singleOrders} | 1 | - | ${percentile(single, 50).toFixed(0)} | ${percentile(single, 99).toFixed(0)} |`,
    );
    const started = performance.now();
    await inParallel(stackOrders, (n) =>
      publishSurely(
        stack.userCabinet,
        stack.corporatePubsub,
        "marketplace.order.requested",
        { requestId: `stack-${run}-${n}`, offerId, customerId: `c-${n % 500}`, quantity: 1 },
        `marketplace.order.requested:stack-${run}-${n}`,
      ),
    );
    const published = performance.now();
    const target = singleOrders + stackOrders;
    let paid: Order[] = [];
    while ((paid = await paidOrders()).length < target) {
      if (performance.now() - started > 30 * 60_000)
        throw new Error(`only ${paid.length} of ${target} orders paid in 30 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const seconds = (performance.now() - started) / 1000;
    // Created -> paid, as the marketplace recorded both.
    const latencies = paid
      .filter((o) => !o.requestId.startsWith("single-"))
      .map(latency)
      .sort((a, b) => a - b);
    console.log(
      `| real stack (cabinet -> gateway -> marketplace -> acquirer -> gateway -> marketplace) | ${stackOrders} | ${inFlight} publishes | ${(stackOrders / seconds).toFixed(1)} orders paid/s | ${percentile(latencies, 50).toFixed(0)} | ${percentile(latencies, 99).toFixed(0)} |`,
    );
    console.log(
      `  (all ${stackOrders} requests published in ${((published - started) / 1000).toFixed(1)} s; latency columns: created -> paid)`,
    );
  } finally {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(
    `Marketplace order throughput, ${new Date().toISOString().slice(0, 10)}, load average before: ${loadavg()[0]!.toFixed(1)}`,
  );
  console.log("| path | orders | in flight | throughput | p50 ms | p99 ms |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
  await apiAlone();
  await throughTheStack();
  console.log(`load average after: ${loadavg()[0]!.toFixed(1)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

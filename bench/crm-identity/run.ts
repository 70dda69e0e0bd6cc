import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { recordBenchmarkSection } from "../../dev/harness/benchmarks-file.js";
import { startFerretDb } from "../../dev/harness/ferretdb.js";
import { generateDataset } from "../../dev/datasets/identity-dataset.js";
import { call, startModule } from "../../dev/stack/service-stack.js";

// CRM identity resolution under load: touchpoints ingested and resolved per second
// (through the API, in batches of 500, two requests in flight), then the latency of a
// profile lookup by unified id and by e-mail. CRM runs as the local runner starts it, with
// its daprd sidecar and FerretDB v1 over the machine's PostgreSQL. Not a test: it prints
// figures and records them in BENCHMARKS.md.

const touchpointCount = Number(process.env.BENCH_TOUCHPOINTS ?? 100_000);
const lookups = Number(process.env.BENCH_LOOKUPS ?? 2_000);
const run = randomBytes(3).toString("hex");

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function timed(samples: number[], url: string): Promise<void> {
  const started = performance.now();
  const answer = await call("GET", url);
  samples.push(performance.now() - started);
  if (answer.status !== 200) throw new Error(`GET ${url}: ${answer.status}`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "symbiont-bench-crm-"));
  const ferret = await startFerretDb({ dir, backend: "postgresql" });
  const crm = await startModule({
    service: "crm",
    appId: `crm-bench-${run}`,
    dir,
    databaseUrl: `${ferret.uri}crm`,
    pubsubName: `bench-${run}-internal-bus`,
    pubsub: "in-memory",
    env: { LOG_LEVEL: "warn", MAX_BODY_BYTES: "1048576" },
  });
  try {
    const dataset = generateDataset({
      people: Math.round(touchpointCount / 5),
      touchpoints: touchpointCount,
      seed: 7,
    });
    const batches: Array<Array<{ id: string }>> = [];
    for (let i = 0; i < dataset.touchpoints.length; i += 500) {
      batches.push(dataset.touchpoints.slice(i, i + 500).map((t) => t.input));
    }
    const profileIds: string[] = [];
    const emails = dataset.touchpoints.flatMap((t) =>
      t.input.identity.email ? [t.input.identity.email] : [],
    );
    let next = 0;
    const started = performance.now();
    await Promise.all(
      [0, 1].map(async () => {
        while (next < batches.length) {
          const batch = batches[next++]!;
          const answer = await call<{ resolutions: Array<{ profileId: string }> }>(
            "POST",
            `${crm.url}/touchpoints/batch`,
            {
              touchpoints: batch,
            },
          );
          if (answer.status !== 201)
            throw new Error(`batch: ${answer.status} ${JSON.stringify(answer.body)}`);
          profileIds.push(answer.body.resolutions[0]!.profileId);
          if (next % 20 === 0) process.stdout.write(`  ${next * 500} touchpoints\n`);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const rate = touchpointCount / seconds;

    const byId: number[] = [];
    const byEmail: number[] = [];
    for (let i = 0; i < lookups; i++) {
      await timed(byId, `${crm.url}/customers/${profileIds[i % profileIds.length]}`);
      await timed(
        byEmail,
        `${crm.url}/customers?email=${encodeURIComponent(emails[(i * 7919) % emails.length]!.trim())}`,
      );
    }
    byId.sort((a, b) => a - b);
    byEmail.sort((a, b) => a - b);
    const active = await call<{ customers: unknown[] }>(
      "GET",
      `${crm.url}/customers?email=${encodeURIComponent(emails[0]!.trim())}`,
    );
    if (active.status !== 200) throw new Error("lookup failed");

    const row = (what: string, samples: number[]) =>
      `| ${what} | ${samples.length} | ${percentile(samples, 50).toFixed(1)} | ${percentile(samples, 99).toFixed(1)} |`;
    const section = [
      "## CRM identity resolution (`bench/crm-identity`)",
      "",
      `${touchpointCount.toLocaleString("en")} touchpoints of ${dataset.people.toLocaleString("en")} people (the ground-truth generator of the integration test: varied spellings, random order), sent to CRM's \`POST /touchpoints/batch\` in batches of 500 with two requests in flight; CRM with its daprd sidecar (in-memory pub/sub) and FerretDB v1 over the machine's PostgreSQL, one machine with 2 cores (${new Date().toISOString().slice(0, 10)}).`,
      "",
      `Ingested and resolved: **${rate.toFixed(0)} touchpoints/s** (${seconds.toFixed(0)} s for ${touchpointCount.toLocaleString("en")}).`,
      "",
      "| profile lookup (after ingest) | requests | p50 ms | p99 ms |",
      "| --- | ---: | ---: | ---: |",
      row("`GET /customers/:id`", byId),
      row("`GET /customers?email=`", byEmail),
      "",
      "Run it: `node --conditions=symbiont-source --import tsx bench/crm-identity/run.ts` (`BENCH_TOUCHPOINTS`, `BENCH_LOOKUPS` change the size).",
      "",
    ].join("\n");
    console.log(section);
    recordBenchmarkSection(section);
  } finally {
    await crm.stop();
    await ferret.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

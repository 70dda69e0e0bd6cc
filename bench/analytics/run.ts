import { forecastBench } from "./forecast-bench.js";
import { ingestBench } from "./ingest-bench.js";
import { offerBench } from "./offer-bench.js";
import { storageBench } from "./storage-bench.js";

// Analytics' benchmarks: the forecast back-test, next-offer precision and recall, and ingest
// and report latency at scale (BENCH_EVENTS, default 1,000,000), and the storage layout that
// makes that scale possible on FerretDB. BENCH_PARTS selects some (forecast, offers,
// storage, ingest). Prints Markdown tables for BENCHMARKS.md.

const parts = (process.env.BENCH_PARTS ?? "forecast,offers,storage,ingest").split(",");

async function main(): Promise<void> {
  const date = new Date().toISOString().slice(0, 10);
  const load = (await import("node:os")).loadavg()[0]!.toFixed(1);
  console.log(`Analytics benchmarks, ${date}, load average ${load} at start\n`);
  if (parts.includes("forecast"))
    console.log(`### Forecast back-test\n\n${forecastBench().join("\n")}\n`);
  if (parts.includes("offers")) console.log(`### Next offers\n\n${offerBench().join("\n")}\n`);
  if (parts.includes("storage"))
    console.log(`### The event log's layout\n\n${(await storageBench()).join("\n")}\n`);
  if (parts.includes("ingest"))
    console.log(`### Ingest and reports\n\n${(await ingestBench()).join("\n")}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

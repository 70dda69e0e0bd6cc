import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { connectDatabase } from "@symbiont/service-kit";
import { recordBenchmarkSection } from "../../dev/harness/benchmarks-file.js";
import { startLedgerDb } from "../../dev/stack/gateway-stack.js";
import { LedgerStore } from "../../services/bus-gateway/src/data/ledger-store.js";
import { ledgerRecordModel } from "../../services/bus-gateway/src/data/ledger-record-model.js";
import { Ledger, type NewEntry } from "../../services/bus-gateway/src/domain/ledger.js";

// The gateway's start-up on a long ledger: N delivered partner entries (two records each,
// written by the ledger itself, checkpoints as it makes them) plus a backlog of pending
// entries and dead letters, on FerretDB v1 over the machine's PostgreSQL (what a cluster
// runs). A fresh process then reads the ledger back as the gateway does at start; it prints
// the time and the process's peak RSS. Targets (issue "No loss path"): < 10 s, < 256 MiB
// with 1,000,000 terminal entries.
//
// `node --conditions=symbiont-source --import tsx bench/ledger-startup/ledger-startup-bench.ts`
// (`BENCH_LEDGER_ENTRIES`, default 1,000,000; `BENCH_LEDGER_OPEN`, default 1,000).

const mode = process.argv[2];

if (mode === "--load") {
  // The measured process: connect, read back, report, nothing else.
  const uri = process.argv[3]!;
  const connection = await connectDatabase(uri);
  const started = performance.now();
  const ledger = new Ledger(new LedgerStore(ledgerRecordModel(connection)));
  await ledger.load();
  const ms = performance.now() - started;
  const peakRss = process.resourceUsage().maxRSS / 1024;
  console.log(
    JSON.stringify({
      ms,
      peakRssMiB: peakRss,
      open: ledger.size,
      withPayload: [...ledger.entries()].filter((entry) => entry.payload !== undefined).length,
      delivered: ledger.deliveredCount("partner", "bench"),
    }),
  );
  await connection.close();
  process.exit(0);
}

const entries = Number(process.env.BENCH_LEDGER_ENTRIES ?? 1_000_000);
const open = Number(process.env.BENCH_LEDGER_OPEN ?? 1_000);
const dir = mkdtempSync(join(tmpdir(), "symbiont-bench-ledger-"));
const db = await startLedgerDb(dir, "postgresql");
const uri = `${db.uri}ledger`;
try {
  const connection = await connectDatabase(uri);
  const ledger = new Ledger(new LedgerStore(ledgerRecordModel(connection)));
  await ledger.load();
  const payload = JSON.stringify({ text: "x".repeat(900) });
  const entry = (id: string): NewEntry => ({
    messageId: id,
    kind: "partner",
    target: "bench",
    topic: "bench.event",
    pubsub: "corporate",
    state: "accepted",
    payload,
  });
  // The open entries first: they lie in the oldest segments, as a backlog behind a partner
  // that has been down does; the start must find them (and their payloads) all the same.
  const backlog = await ledger.accept(Array.from({ length: open }, (_, i) => entry(`open-${i}`)));
  await Promise.all(
    backlog.map((one, i) =>
      one === "duplicate" || i % 10 !== 0
        ? undefined
        : ledger.change(one, { state: "dead-lettered", attempts: 10, lastError: "HTTP 422" }),
    ),
  );
  const filling = performance.now();
  const batch = 2_000;
  for (let start = 0; start < entries; start += batch) {
    const accepted = await ledger.accept(
      Array.from({ length: Math.min(batch, entries - start) }, (_, i) => entry(`m-${start + i}`)),
    );
    await Promise.all(
      accepted.map((one) =>
        one === "duplicate" ? undefined : ledger.change(one, { state: "delivered", attempts: 1 }),
      ),
    );
    if ((start / batch) % 50 === 0)
      console.log(
        `filled ${start + batch} of ${entries} (${((performance.now() - filling) / 1000).toFixed(0)} s)`,
      );
  }
  const fillSeconds = (performance.now() - filling) / 1000;
  await connection.close();
  // As after a SIGKILL: no checkpoint at shutdown, the last segment's records are read back.
  const child = spawnSync(
    process.execPath,
    [
      "--conditions=symbiont-source",
      "--import",
      "tsx",
      fileURLToPath(import.meta.url),
      "--load",
      uri,
    ],
    { encoding: "utf8" },
  );
  if (child.status !== 0) throw new Error(`the read-back failed: ${child.stderr}`);
  const result = JSON.parse(child.stdout.trim().split("\n").pop()!) as {
    ms: number;
    peakRssMiB: number;
    open: number;
    withPayload: number;
    delivered: number;
  };
  if (result.open !== open || result.withPayload !== open || result.delivered !== entries)
    throw new Error(`read back ${result.open} open and ${result.delivered} delivered entries`);
  const section = [
    "## Ledger start-up (`bench/ledger-startup`)",
    "",
    `${entries.toLocaleString("en")} delivered partner entries (${(2 * entries).toLocaleString("en")} records, 1 KB payloads) and ${open.toLocaleString("en")} open ones (pending and dead letters), written by the ledger itself (${fillSeconds.toFixed(0)} s), FerretDB v1 over the machine's PostgreSQL; one machine with 2 cores, load ${loadavg()[0]!.toFixed(1)} (${new Date().toISOString().slice(0, 10)}). A fresh process reads the ledger back as the gateway does at start, with no checkpoint at shutdown (as after a SIGKILL).`,
    "",
    `Ledger start-up with ${entries.toLocaleString("en")} terminal entries: ${(result.ms / 1000).toFixed(1)} s, peak RSS ${result.peakRssMiB.toFixed(0)} MiB (targets < 10 s, < 256 MiB); ${result.open} open entries in memory, ${result.delivered.toLocaleString("en")} delivered counted.`,
    "",
    "Run it: `node --conditions=symbiont-source --import tsx bench/ledger-startup/ledger-startup-bench.ts` (`BENCH_LEDGER_ENTRIES`, `BENCH_LEDGER_OPEN` change the size).",
    "",
  ].join("\n");
  console.log(section);
  recordBenchmarkSection(section);
} finally {
  await db.stop();
  rmSync(dir, { recursive: true, force: true });
}

import { readFileSync, mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import mongoose from "mongoose";
import { startFerretDb } from "../../dev/harness/ferretdb.js";
import { startProcess, stopPid } from "../../dev/harness/managed-process.js";
import { startPostgres } from "../../dev/harness/postgres.js";
import { freePort, httpGet, waitUntil } from "../../dev/harness/probe.js";
import { repoRoot } from "../../dev/harness/tool-paths.js";
import { gatewayFile, startLedgerDb, uniqueEcosystem } from "../../dev/stack/gateway-stack.js";
import { ledgerRecordModel } from "../../services/bus-gateway/src/data/ledger-record-model.js";
import { LedgerStore } from "../../services/bus-gateway/src/data/ledger-store.js";
import { toRecord } from "../../services/bus-gateway/src/domain/ledger.js";
import { entryKey, type LedgerEntry } from "../../services/bus-gateway/src/domain/ledger-entry.js";
import { testPartner } from "../../services/bus-gateway/src/testing/test-file.js";

// The gateway's start on a large ledger: BENCH_ENTRIES (default 1,000,000) delivered
// entries (two records each, as a delivery writes them: accepted with its payload, then
// delivered) and BENCH_OPEN pending ones, written with the gateway's own record functions,
// in FerretDB over a PostgreSQL of the bench's own (initdb; BENCH_LEDGER=sqlite for SQLite).
// Prints the time from starting the process to its HTTP port answering (the open entries
// read back), its RSS then, the time until its background pass over the delivered entries
// (retention, counts) is done, and the peak RSS; targets: start < 10 s, RSS < 256 MiB.

const entries = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
const open = Number(process.env.BENCH_OPEN ?? 1_000);
const backend = process.env.BENCH_LEDGER === "sqlite" ? "sqlite" : "postgresql";
const mib = 1024 * 1024;

const dir = mkdtempSync(join(tmpdir(), "ledger-startup-"));
const ecosystem = uniqueEcosystem("ls");
const partner = "bench-partner";
const topic = "bench.topic";
const payload = JSON.stringify({ pad: "x".repeat(Number(process.env.BENCH_PAYLOAD_BYTES ?? 200)) });

function entry(n: number, state: LedgerEntry["state"], at: number): LedgerEntry {
  const messageId = `m-${n}`;
  return {
    key: entryKey("partner", partner, topic, messageId),
    messageId,
    kind: "partner",
    target: partner,
    topic,
    pubsub: "corporate",
    state,
    attempts: state === "delivered" ? 1 : 0,
    seq: at * 1000 + n,
    acceptedAt: at,
    updatedAt: at,
    payload,
    revision: 0,
    replays: 0,
  };
}

function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: (kib("VmRSS") * 1024) / mib, peak: (kib("VmHWM") * 1024) / mib };
}

async function fill(uri: string): Promise<number> {
  const connection = await mongoose.createConnection(`${uri}ledger`).asPromise();
  const model = ledgerRecordModel(connection);
  const store = new LedgerStore(model);
  // As a gateway starting on an empty ledger: indexes, open marks.
  await store.ensureIndexes();
  await store.readOpen();
  const started = performance.now();
  const now = Date.now();
  const batch = 500;
  let written = 0;
  const writeBatch = async (from: number) => {
    const records = [];
    for (let n = from; n < Math.min(from + batch, entries); n += 1) {
      const accepted = entry(n, "accepted", now);
      records.push(toRecord(accepted, true));
      records.push(toRecord({ ...accepted, state: "delivered", attempts: 1, revision: 1 }, false));
    }
    await model.collection.insertMany(records as never[], { ordered: false });
    written += records.length / 2;
    if (written % 50_000 < batch)
      console.log(
        `  filled ${written} entries (${Math.round(written / ((performance.now() - started) / 1000))}/s)`,
      );
  };
  const starts: number[] = [];
  for (let from = 0; from < entries; from += batch) starts.push(from);
  // A few writers at once: the database's commits overlap.
  const workers = 4;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let index = worker; index < starts.length; index += workers)
        await writeBatch(starts[index] as number);
    }),
  );
  // Open entries go through the store, as the gateway writes them (with their open marks).
  const pending = Array.from({ length: open }, (_, i) =>
    toRecord(entry(entries + i, "accepted", now), true),
  );
  for (let from = 0; from < pending.length; from += batch)
    await store.appendAll(pending.slice(from, from + batch));
  await store.drained();
  await connection.close();
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const load = loadavg()[0]?.toFixed(1);
  console.log(
    `ledger start-up bench: ${entries} delivered + ${open} pending entries, FerretDB over ${backend}, ${cpus().length} cores, load ${load}`,
  );
  const postgres = backend === "postgresql" ? await startPostgres({ dir }) : undefined;
  const db = postgres
    ? await startFerretDb({ dir, backend, postgresServer: postgres.url, name: "ledger-db" })
    : await startLedgerDb(dir, backend);
  try {
    const fillSeconds = await fill(db.uri);
    console.log(`filled in ${fillSeconds.toFixed(0)} s`);
    const port = await freePort();
    const configPath = join(dir, "gateway-config.json");
    writeFileSync(
      configPath,
      JSON.stringify(
        gatewayFile({
          ecosystem,
          partners: [
            {
              ...testPartner(partner, [topic]),
              delivery: {
                ...testPartner(partner, [topic]).delivery,
                timeoutMs: 5_000,
                circuitThreshold: 3,
              },
              produces: [],
              rateLimit: { requestsPerSecond: 50, burst: 100 },
              auth: { type: "none" },
            },
          ],
        }),
      ),
    );
    const started = performance.now();
    const gateway = await startProcess({
      name: "bus-gateway",
      dir,
      command: process.execPath,
      args: [
        "--conditions=symbiont-source",
        "--import",
        "tsx",
        join(repoRoot, "services/bus-gateway/src/main.ts"),
        `--instance=${dir}`,
      ],
      env: {
        ...process.env,
        KUBECONFIG: "",
        PORT: String(port),
        SYMBIONT_PUBLIC_PORT: String(await freePort()),
        SYMBIONT_ADMIN_PORT: String(await freePort()),
        DATABASE_URL: `${db.uri}ledger`,
        SYMBIONT_GATEWAY_CONFIG: configPath,
        DAPR_HTTP_PORT: String(await freePort()),
        DAPR_GRPC_PORT: String(await freePort()),
        LOG_LEVEL: "info",
      },
      cwd: repoRoot,
    });
    try {
      await waitUntil(
        "gateway answering",
        async () => (await httpGet({ url: `http://127.0.0.1:${port}/healthz` })).status === 200,
        { process: gateway, timeoutMs: 600_000, intervalMs: 50 },
      );
      const startSeconds = (performance.now() - started) / 1000;
      const atStart = memory(gateway.pid);
      const log = () => (existsSync(gateway.logFile) ? readFileSync(gateway.logFile, "utf8") : "");
      await waitUntil(
        "delivered entries counted",
        async () => /delivered ledger entries counted|delivered entries not counted/.test(log()),
        { process: gateway, timeoutMs: 1_800_000, intervalMs: 200 },
      );
      const countSeconds = (performance.now() - started) / 1000;
      const after = memory(gateway.pid);
      const loaded = /"entries":(\d+)[^\n]*open ledger entries read back/.exec(log())?.[1];
      console.log(
        `start (process start to HTTP answering, ${loaded ?? "?"} open entries read back): ${startSeconds.toFixed(1)} s (target < 10 s)`,
      );
      console.log(`RSS at start: ${atStart.rss.toFixed(0)} MiB (target < 256 MiB)`);
      console.log(
        `background pass over the delivered entries done after ${countSeconds.toFixed(0)} s; RSS then ${after.rss.toFixed(0)} MiB, peak ${after.peak.toFixed(0)} MiB`,
      );
    } finally {
      await stopPid(gateway.pid);
    }
  } finally {
    await db.stop();
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

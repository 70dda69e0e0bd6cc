import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { connectDatabase } from "@symbiont/service-kit";
import { recordBenchmarkSection } from "../../dev/harness/benchmarks-file.js";
import { startLedgerDb } from "../../dev/stack/gateway-stack.js";
import {
  checkpointCollections,
  LedgerStore,
} from "../../services/bus-gateway/src/data/ledger-store.js";
import { ledgerRecordModel } from "../../services/bus-gateway/src/data/ledger-record-model.js";
import type { LedgerEntry } from "../../services/bus-gateway/src/domain/ledger-entry.js";
import { Ledger, type NewEntry } from "../../services/bus-gateway/src/domain/ledger.js";

// The ledger's checkpoint behind a partner that has been away: N open entries of 1 KB (ten
// minutes at 100 msgs/s is 60,000) on FerretDB v1 over PostgreSQL. The gateway writes a
// checkpoint each minute something was written, so while the backlog stands each minute's
// checkpoint meets the same open entries again. Prints the time and the bytes of each of
// three checkpoints: the first, the next with a few new entries, and one after 1 % of the
// backlog was delivered; then a start reading it back.
//
// `node --conditions=symbiont-source --import tsx bench/ledger-checkpoint/checkpoint-bench.ts`
// (`BENCH_LEDGER_OPEN`, default 60,000).

const open = Number(process.env.BENCH_LEDGER_OPEN ?? 60_000);
const dir = mkdtempSync(join(tmpdir(), "symbiont-bench-checkpoint-"));
const db = await startLedgerDb(dir, "postgresql");
const uri = `${db.uri}ledger`;

interface Row {
  what: string;
  ms: number;
  bytes: number;
  documents: number;
}

try {
  const connection = await connectDatabase(uri);
  const pieces = connection.db!.collection(checkpointCollections.pieces);
  const store = new LedgerStore(ledgerRecordModel(connection));
  const ledger = new Ledger(store, { checkpointEvery: 10 * open });
  await ledger.load();
  const payload = JSON.stringify({ text: "x".repeat(990) });
  const entry = (id: string): NewEntry => ({
    messageId: id,
    kind: "partner",
    target: "away",
    topic: "bench.event",
    pubsub: "corporate",
    state: "buffered",
    payload,
  });
  const accepted = [];
  for (let start = 0; start < open; start += 2_000)
    accepted.push(
      ...(await ledger.accept(
        Array.from({ length: Math.min(2_000, open - start) }, (_, i) => entry(`m-${start + i}`)),
      )),
    );
  const stored = async () => {
    const documents = await pieces.find({}).toArray();
    return {
      documents: documents.length,
      bytes: documents.reduce((sum, d) => sum + JSON.stringify(d).length, 0),
    };
  };
  const rows: Row[] = [];
  const measure = async (what: string) => {
    const started = performance.now();
    await ledger.checkpoint();
    const ms = performance.now() - started;
    const after = await stored();
    // What this checkpoint wrote (a store that rewrites every piece wrote all it keeps).
    const wrote = (store as { lastCheckpointWrite?: { bytes: number } }).lastCheckpointWrite;
    rows.push({ what, ms, bytes: wrote?.bytes ?? after.bytes, documents: after.documents });
  };
  await measure(`first, ${open.toLocaleString("en")} open entries`);
  await ledger.accept(Array.from({ length: 100 }, (_, i) => entry(`late-${i}`)));
  await measure("a minute later, 100 more entries");
  const delivered = accepted
    .filter((one): one is LedgerEntry => one !== "duplicate")
    .slice(0, open / 100);
  await Promise.all(
    delivered.map((one) => ledger.change(one, { state: "delivered", attempts: 1 })),
  );
  await measure("after 1 % of the backlog was delivered (the oldest)");
  await connection.close();
  const reading = await connectDatabase(uri);
  const started = performance.now();
  const back = new Ledger(new LedgerStore(ledgerRecordModel(reading)));
  await back.load();
  const loadMs = performance.now() - started;
  const expected = open + 100 - open / 100;
  if (back.size !== expected)
    throw new Error(`read back ${back.size} open entries, not ${expected}`);
  await reading.close();
  const table = [
    "| checkpoint | ms | written | pieces stored |",
    "| --- | ---: | ---: | ---: |",
    ...rows.map(
      (r) =>
        `| ${r.what} | ${r.ms.toFixed(0)} | ${(r.bytes / 1_000_000).toFixed(1)} MB | ${r.documents} |`,
    ),
  ];
  const section = [
    "## Ledger checkpoints behind a backlog (`bench/ledger-checkpoint`)",
    "",
    `${open.toLocaleString("en")} open partner entries of 1 KB (a partner away for ten minutes at 100 msgs/s), FerretDB v1 over PostgreSQL, one machine with 2 cores, load ${loadavg()[0]!.toFixed(1)} (${new Date().toISOString().slice(0, 10)}). The gateway writes a checkpoint each minute something was written; while the backlog stands, each one meets the same open entries again.`,
    "",
    ...table,
    "",
    `A start reads it back in ${(loadMs / 1000).toFixed(1)} s (${back.size.toLocaleString("en")} open entries).`,
    "",
    "Run it: `node --conditions=symbiont-source --import tsx bench/ledger-checkpoint/checkpoint-bench.ts` (`BENCH_LEDGER_OPEN` changes the backlog).",
  ].join("\n");
  console.log(section);
  recordBenchmarkSection(section);
} finally {
  await db.stop();
  rmSync(dir, { recursive: true, force: true });
}

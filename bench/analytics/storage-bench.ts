import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mongoose from "mongoose";
import { salesDataset } from "../../dev/datasets/sales-dataset.js";
import { startFerretDb } from "../../dev/harness/ferretdb.js";

// Why the event log is stored as pages of JSON text: the same events written and read back
// (a) as one document each with its nested payload, the obvious layout, and (b) as pages of
// 1,000 events in one string; and whether FerretDB can compute the daily cash flow itself
// with an aggregation over (a).

const count = Number(process.env.BENCH_STORAGE_EVENTS ?? 20_000);

export async function storageBench(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "symbiont-bench-storage-"));
  const ferret = await startFerretDb({ dir, backend: "postgresql" });
  const db = await mongoose.createConnection(`${ferret.uri}storage`).asPromise();
  const events = [
    ...salesDataset({ seed: 4, start: "2026-01-01", days: 60, ordersPerDay: 150, customers: 5_000 })
      .events,
  ].slice(0, count);
  const seconds = async (task: () => Promise<unknown>) => {
    const started = performance.now();
    await task();
    return (performance.now() - started) / 1000;
  };
  try {
    const nested = db.db!.collection("nested");
    const pages = db.db!.collection("pages");
    const writeNested = await seconds(async () => {
      for (let i = 0; i < events.length; i += 1_000)
        await nested.insertMany(
          events
            .slice(i, i + 1_000)
            .map((e) => ({ _id: e.id as never, topic: e.topic, data: e.data })),
          { ordered: false },
        );
    });
    const readNested = await seconds(async () => {
      for await (const _ of nested.find({}, { batchSize: 1_000 }));
    });
    const writePages = await seconds(async () => {
      for (let i = 0; i < events.length; i += 1_000)
        await pages.insertOne({
          _id: `p${i}` as never,
          events: JSON.stringify(events.slice(i, i + 1_000)),
        });
    });
    const readPages = await seconds(async () => {
      for await (const page of pages.find({}, { batchSize: 4 })) JSON.parse(page.events as string);
    });
    let aggregation: string;
    try {
      const took = await seconds(() =>
        nested
          .aggregate([
            { $match: { topic: "payment.succeeded" } },
            {
              $group: {
                _id: { $substr: ["$data.paidAt", 0, 10] },
                total: { $sum: "$data.amount.amount" },
              },
            },
          ])
          .toArray(),
      );
      aggregation = `answered in ${took.toFixed(1)} s`;
    } catch (error) {
      aggregation = `refused: "${(error as Error).message}"`;
    }
    const rate = (s: number) => `${Math.round(events.length / s).toLocaleString("en")}/s`;
    return [
      `${events.length.toLocaleString("en")} events, FerretDB v1 over PostgreSQL:`,
      "",
      "| layout | write | read back |",
      "| --- | ---: | ---: |",
      `| one document per event, nested payload | ${rate(writeNested)} | ${rate(readNested)} |`,
      `| pages of 1,000 events as JSON text | ${rate(writePages)} | ${rate(readPages)} |`,
      "",
      `FerretDB aggregation of the daily cash flow (\`$group\` by \`$substr\` of the payment time) over the nested layout: ${aggregation}.`,
    ];
  } finally {
    await db.close();
    await ferret.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

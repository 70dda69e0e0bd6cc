import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import {
  docxType,
  sampleDocx,
  samplePdf,
  sampleXlsx,
  xlsxType,
} from "../../dev/datasets/sample-documents.js";
import { startFilesStack } from "../../dev/stack/files-stack.js";

// The files module under load: 10,000 documents (plain text, DOCX, XLSX and PDF, Russian and
// English words) uploaded through the API with 8 requests in flight, then full-text searches,
// then a restart that rebuilds the index from the database. The service runs as the local
// runner starts it, with its daprd sidecar, FerretDB v1 over the machine's PostgreSQL and a
// SeaweedFS S3 store. Not a test: it prints figures for BENCHMARKS.md.

const documentCount = Number(process.env.BENCH_DOCUMENTS ?? 10_000);
const searches = Number(process.env.BENCH_SEARCHES ?? 2_000);
const inFlight = Number(process.env.BENCH_IN_FLIGHT ?? 8);
const run = randomBytes(3).toString("hex");

const russian =
  "договор поставка склад аренда счёт оплата акт сверка клиент менеджер встреча подпись ёлка отчёт услуга доставка гарантия претензия заявка проект".split(
    " ",
  );
const english =
  "contract supply warehouse lease invoice payment report client manager meeting signature delivery warranty claim request project budget audit".split(
    " ",
  );

/** A deterministic pseudo-random word picker (the same corpus on every run). */
function words(seed: number, count: number): string[] {
  const out: string[] = [];
  let x = seed * 2654435761;
  for (let i = 0; i < count; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    const pool = x % 2 === 0 ? russian : english;
    out.push(pool[(x >>> 8) % pool.length]!);
  }
  return out;
}

async function documentFor(i: number): Promise<{ path: string; type: string; bytes: Buffer }> {
  const text = [...words(i, 60), `doc${i}`].join(" ");
  const kind = i % 20;
  if (kind < 12) return { path: `notes/n${i}.txt`, type: "text/plain", bytes: Buffer.from(text) };
  if (kind < 17)
    return { path: `contracts/c${i}.docx`, type: docxType, bytes: await sampleDocx([text]) };
  if (kind < 19)
    return {
      path: `sheets/s${i}.xlsx`,
      type: xlsxType,
      bytes: await sampleXlsx("Лист", [text.split(" ").slice(0, 8)]),
    };
  return { path: `reports/r${i}.pdf`, type: "application/pdf", bytes: await samplePdf([text]) };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "symbiont-bench-files-"));
  const stack = await startFilesStack({
    dir,
    appId: `files-bench-${run}`,
    pubsubName: `bench-${run}-internal-bus`,
    pubsub: "in-memory",
    ferretBackend: "postgresql",
    env: { LOG_LEVEL: "info" },
  });
  try {
    const token = await stack.token({ kind: "internal", sub: "bench", teams: [] });
    const headers = { authorization: `Bearer ${token}` };
    const sandboxes = ["bench-a", "bench-b", "bench-c", "bench-d"];
    for (const id of sandboxes) {
      const made = await fetch(`${stack.url}/sandboxes`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({ id, kind: "team", title: id }),
      });
      if (made.status !== 201) throw new Error(`sandbox ${id}: ${made.status}`);
    }
    const documents: Array<{ path: string; type: string; bytes: Buffer }> = [];
    for (let i = 0; i < documentCount; i++) documents.push(await documentFor(i));
    const bytes = documents.reduce((sum, d) => sum + d.bytes.length, 0);

    const uploads: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < documents.length) {
          const i = next++;
          const doc = documents[i]!;
          const t0 = performance.now();
          const answer = await fetch(
            `${stack.url}/sandboxes/${sandboxes[i % 4]}/files/${doc.path}`,
            {
              method: "PUT",
              headers: { ...headers, "content-type": doc.type },
              body: doc.bytes,
            },
          );
          await answer.arrayBuffer();
          uploads.push(performance.now() - t0);
          if (answer.status !== 201) throw new Error(`upload ${doc.path}: ${answer.status}`);
          if ((i + 1) % 1000 === 0) process.stdout.write(`  ${i + 1} uploaded\n`);
        }
      }),
    );
    const uploadSeconds = (performance.now() - started) / 1000;
    uploads.sort((a, b) => a - b);
    console.log(
      `  upload: ${(documentCount / uploadSeconds).toFixed(1)} documents/s (${uploadSeconds.toFixed(0)} s); p50 ${percentile(uploads, 50).toFixed(1)} ms, p99 ${percentile(uploads, 99).toFixed(1)} ms`,
    );

    const searchTimes: number[] = [];
    const hitCounts: number[] = [];
    const searchStarted = performance.now();
    for (let i = 0; i < searches; i++) {
      const q = i % 5 === 0 ? `doc${(i * 7919) % documentCount}` : words(i + 99_999, 2).join(" ");
      const t0 = performance.now();
      const answer = await fetch(`${stack.url}/search?q=${encodeURIComponent(q)}&limit=20`, {
        headers,
      });
      const body = (await answer.json()) as { hits: unknown[] };
      searchTimes.push(performance.now() - t0);
      if (answer.status !== 200) throw new Error(`search ${q}: ${answer.status}`);
      hitCounts.push(body.hits.length);
    }
    const searchSeconds = (performance.now() - searchStarted) / 1000;
    searchTimes.sort((a, b) => a - b);
    console.log(
      `  search (one at a time, ${searches} queries, index of ${documentCount}): ${(searches / searchSeconds).toFixed(0)} queries/s; p50 ${percentile(searchTimes, 50).toFixed(1)} ms, p99 ${percentile(searchTimes, 99).toFixed(1)} ms; median hits ${percentile(
        [...hitCounts].sort((a, b) => a - b),
        50,
      )}`,
    );

    const restartStarted = performance.now();
    await stack.startApp({}, 600_000);
    const restartSeconds = (performance.now() - restartStarted) / 1000;
    const probe = await fetch(`${stack.url}/search?q=doc1`, { headers });
    const found = ((await probe.json()) as { hits: Array<{ path: string }> }).hits.map(
      (h) => h.path,
    );
    if (!found.includes("notes/n1.txt"))
      throw new Error(`after the restart doc1 was not found: ${found}`);

    const lines = [
      `files bench (${new Date().toISOString().slice(0, 10)}, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}):`,
      `  ${documentCount} documents, ${(bytes / 1024 / 1024).toFixed(1)} MiB (60% text, 25% DOCX, 10% XLSX, 5% PDF), ${inFlight} uploads in flight`,
      `  restart with recovery and the index rebuilt from the database: ready in ${restartSeconds.toFixed(1)} s`,
    ];
    console.log(lines.join("\n"));
  } finally {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

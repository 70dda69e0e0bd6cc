import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createLogger, openServiceRuntime, type OutgoingEvent } from "@symbiont/service-kit";
import { startFerretDb } from "../../dev/harness/ferretdb.js";
import { buildApp } from "../../services/processes/src/app.js";
import { clientMeetingStart } from "../../services/processes/src/domain/client-meeting.js";
import { meetingBookedSchema } from "../../services/processes/src/events/consumed-topics.js";

// The processes module's engine under load, on FerretDB v1 over the machine's PostgreSQL: the
// client-meeting process started for many meetings at once (each saved to the database after
// every step), their reminder timers firing while the others run, then every checklist,
// stored contract and approval completed until every instance is done. The bus is replaced by
// a publisher that records what it is given (the outbox still writes every event first).
// Not a test: it prints figures for BENCHMARKS.md.

const instances = Number(process.env.BENCH_INSTANCES ?? 200);
const inFlight = Number(process.env.BENCH_IN_FLIGHT ?? 16);
/** Reminders fall due over this window, starting this long after the first start. */
const windowMs = Number(process.env.BENCH_TIMER_WINDOW_MS ?? 10_000);
const leadMs = Number(process.env.BENCH_TIMER_LEAD_MS ?? 90_000);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
const say = (line: string) => process.stdout.write(`${line}\n`);

async function inParallel<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(inFlight, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "symbiont-bench-processes-"));
  const ferret = await startFerretDb({ dir, backend: "postgresql" });
  const published: Array<{ event: OutgoingEvent; at: number }> = [];
  try {
    const runtime = await openServiceRuntime(
      {
        SYMBIONT_APP_ID: "processes",
        SYMBIONT_PUBSUB_INTERNAL: "bench-internal-bus",
        DATABASE_URL: `${ferret.uri}processes`,
        DAPR_HOST: "127.0.0.1",
        DAPR_HTTP_PORT: 9,
        LOG_LEVEL: "warn",
        OUTBOX_RELAY_INTERVAL_MS: 500,
      },
      {
        logger: createLogger({ service: "processes", level: "warn" }),
        publisher: { publish: async (event) => void published.push({ event, at: Date.now() }) },
        defaultMetrics: false,
      },
    );
    const settings = {
      remindBefore: "PT2H",
      checklistDueAfter: "PT4H",
      approvalDueIn: "P1D",
      approvers: {},
      defaultApprover: "head-of-sales",
      contractsSandbox: "contracts",
      definitionsDir: fileURLToPath(
        new URL("../../services/processes/definitions/", import.meta.url),
      ),
    };
    const app = await buildApp({ runtime, callers: [], settings, overdueCheckMs: 0 });
    const { engine, deps } = app;
    for (let c = 0; c < instances; c++)
      await deps.customers.upsert({
        id: `c-${c}`,
        version: 1,
        name: `Client ${c}`,
        phone: `+7916${String(c).padStart(7, "0")}`,
        smsConsent: true,
      });

    say(
      `${instances} client meetings, ${inFlight} in flight, ${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)}`,
    );
    const first = Date.now();
    const remindAt = new Map<string, number>();
    const ids: string[] = [];
    await inParallel(
      Array.from({ length: instances }, (_, n) => n),
      async (n) => {
        const due = first + leadMs + Math.round((windowMs * n) / instances);
        const meeting = meetingBookedSchema.parse({
          meetingId: `mt-${n}`,
          customerId: `c-${n}`,
          managerId: `m-${n % 20}`,
          meetingAt: new Date(due + 2 * 3_600_000).toISOString(),
        });
        const { instance } = await engine.start({
          ...clientMeetingStart(meeting, settings),
          startedBy: "bench",
        });
        remindAt.set(instance.id, due);
        ids.push(instance.id);
      },
    );
    const startSeconds = (Date.now() - first) / 1000;
    say(
      `started: ${(instances / startSeconds).toFixed(1)} instances/s (${startSeconds.toFixed(1)} s, each saved at its timer)`,
    );
    if (Date.now() > first + leadMs)
      say("  (the starts outlasted the timers' lead: raise BENCH_TIMER_LEAD_MS)");

    // Every reminder published (the outbox relays within its interval): how late after its time.
    const reminders = () =>
      published.filter(
        (p) => p.event.topic === "notification.sms" && p.event.id.endsWith(".send-reminder"),
      );
    while (reminders().length < instances) {
      await runtime.outbox.flush();
      await new Promise((r) => setTimeout(r, 100));
    }
    const lateness = reminders()
      .map((p) => p.at - remindAt.get((p.event.data as { instanceId: string }).instanceId)!)
      .sort((a, b) => a - b);
    say(
      `reminder timers: published p50 ${percentile(lateness, 50)} ms, p99 ${percentile(lateness, 99)} ms, max ${lateness.at(-1)} ms after their time (timer, CRM lookup, outbox write and relay)`,
    );

    // The rest of each process: checklist, stored contract, approval, signing, rating SMS.
    const rest = Date.now();
    await inParallel(ids, async (id) => {
      const [checklist] = await waitFor(() => deps.tasks.list({ instanceId: id, status: "open" }));
      await engine.completeTask(checklist!.id, { name: checklist!.assignee, role: "manager" }, []);
      await waitFor(async () =>
        (await deps.instances.get(id))?.waiting.includes("contract-stored") ? [1] : [],
      );
      await engine.deliver(id, "document.stored", {
        fileId: `f-${id}`,
        sandbox: "contracts",
        path: `client-meeting/${id}/contract.docx`,
        version: 1,
        sha256: "0".repeat(64),
      });
      const [approval] = await waitFor(async () =>
        (await deps.tasks.list({ instanceId: id, status: "open" })).filter(
          (t) => t.activityId === "approve-contract",
        ),
      );
      await engine.completeTask(approval!.id, { name: "head-of-sales", role: "admin" }, []);
    });
    await waitFor(async () =>
      (await deps.instances.list({ status: "running" }, 1)).length === 0 ? [1] : [],
    );
    const restSeconds = (Date.now() - rest) / 1000;
    const completed = (await deps.instances.list({ status: "completed" }, instances + 1)).length;
    say(
      `completed: ${completed}/${instances} instances, ${(completed / restSeconds).toFixed(1)} instances/s through checklist, contract, approval and signing (${restSeconds.toFixed(1)} s; 2 tasks, 1 message, 4 service tasks each)`,
    );
    await app.stop();
    await runtime.close();
  } finally {
    await ferret.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function waitFor<T>(read: () => Promise<T[]>): Promise<T[]> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const found = await read();
    if (found.length > 0) return found;
    if (Date.now() > deadline) throw new Error("gave up waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeClient } from "../../operator/src/kube/kube-client.js";
import type { KubeObject } from "../../operator/src/kube/kube-object.js";
import { startControlPlane } from "../../dev/harness/control-plane.js";
import { startOperatorProcess } from "../../dev/stack/operator-process.js";

// bench/operator-scale: N EcosystemModules applied at once; prints the time until all are
// Ready, API requests per module, the operator's peak RSS, and the operator's API writes
// during 60 s of steady state afterwards. Run for the controller manager's default client
// QPS (20) and a raised one, because kube-controller-manager, not the operator, is what
// makes Deployments available (DESIGN "Known pitfalls").
// Usage: tsx bench/operator-scale/run.ts [N ...]   (default 100 500 1000)
// Env: BENCH_KCM_QPS="20 200", BENCH_STEADY_SECONDS=60, BENCH_OPERATOR_QPS=200,
// BENCH_NODE_FLAGS (the operator's node flags; default "--max-old-space-size=128", the chart's
// maxHeapMiB default; "" for none)

const sizes = process.argv.slice(2).map(Number).filter(Boolean);
const counts = sizes.length ? sizes : [100, 500, 1000];
const kcmQpsList = (process.env.BENCH_KCM_QPS ?? "20 200").split(/\s+/).map(Number);
const steadySeconds = Number(process.env.BENCH_STEADY_SECONDS ?? 60);
const nodeFlags = process.env.BENCH_NODE_FLAGS ?? "--max-old-space-size=128";
const operatorQps = process.env.BENCH_OPERATOR_QPS ?? "200";

// The operator runs compiled, as its image does (tsx would add ~90 MiB of its own).
execFileSync("npm", ["run", "build", "-w", "@symbiont/contracts", "-w", "operator"], {
  stdio: "inherit",
});

interface Row {
  kcmQps: number;
  modules: number;
  readySeconds: number;
  requestsPerModule: number;
  writesPerModule: number;
  peakRssMiB: number;
  steadyWrites: number;
  steadyLeaseWrites: number;
  heapUsedMiB: number;
}

interface Sample {
  writes: number;
  leaseWrites: number;
  requests: number;
}

function requestSample(metrics: string): Sample {
  let writes = 0;
  let leaseWrites = 0;
  let requests = 0;
  for (const line of metrics.split("\n")) {
    const match =
      /^symbiont_kube_requests_total\{verb="(\w+)",kind="(\w+)",code="\d+"\} (\d+)/.exec(line);
    if (!match) continue;
    const [, verb, kind, value] = match;
    const n = Number(value);
    if (verb === "WATCH") continue;
    if (kind === "Lease") {
      if (verb !== "GET") leaseWrites += n;
      continue;
    }
    requests += n;
    if (verb !== "GET") writes += n;
  }
  return { writes, leaseWrites, requests };
}

function peakRssMiB(pid: number): number {
  // The operator runs as `node ...` in its own process group; VmHWM is its peak resident set.
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function benchOne(kcmQps: number, modules: number): Promise<Row> {
  const dir = await mkdtemp(join(tmpdir(), "symbiont-bench-"));
  const controlPlane = await startControlPlane({
    dir: join(dir, "cp"),
    controllerManagerQps: kcmQps,
    nodes: 2,
  });
  const kc = controlPlane.kubeConfig();
  const client = new KubeClient(kc, { qps: 500, burst: 1000 });
  const namespace = "bench";
  try {
    await client.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
    const operator = await startOperatorProcess({
      kubeconfigPath: controlPlane.kubeconfigPath,
      namespace,
      dir: join(dir, "operator"),
      compiled: true,
      nodeFlags: nodeFlags.split(/\s+/).filter(Boolean),
      env: {
        LOG_LEVEL: "warn",
        SYMBIONT_KUBE_QPS: operatorQps,
        SYMBIONT_KUBE_BURST: String(Number(operatorQps) * 2),
        SYMBIONT_WORKERS: "8",
      },
    });
    const before = requestSample(await operator.metrics());
    const started = Date.now();
    await client.create({
      apiVersion: "symbiont.dev/v1alpha1",
      kind: "Ecosystem",
      metadata: { name: "bench", namespace },
      spec: { internalBus: { type: "in-memory" }, corporateBus: { type: "in-memory" } },
    } as KubeObject);
    const names = Array.from({ length: modules }, (_, i) => `m${String(i).padStart(4, "0")}`);
    for (let i = 0; i < names.length; i += 50) {
      await Promise.all(
        names.slice(i, i + 50).map((name, j) =>
          client.create({
            apiVersion: "symbiont.dev/v1alpha1",
            kind: "EcosystemModule",
            metadata: { name, namespace },
            spec: {
              ecosystemRef: { name: "bench" },
              tier: (i + j) % 3 === 0 ? "front-office" : "core",
              type: "custom",
              image: "example.com/module:1",
              publishes: [{ topic: `t${i + j}` }],
              subscribes: [{ topic: `t${(i + j + 1) % modules}` }],
            },
          } as KubeObject),
        ),
      );
    }
    let ready = 0;
    while (ready < modules) {
      await new Promise((r) => setTimeout(r, 1000));
      const list = await client.list<
        KubeObject & { status?: { conditions?: { type: string; status: string }[] } }
      >({ apiVersion: "symbiont.dev/v1alpha1", kind: "EcosystemModule" }, { namespace });
      ready = list.items.filter((m) =>
        m.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
      ).length;
      if (Date.now() - started > 900_000)
        throw new Error(`only ${ready}/${modules} Ready after 15 minutes`);
    }
    const readySeconds = (Date.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 5000)); // let the last status writes land
    const settled = requestSample(await operator.metrics());
    await new Promise((r) => setTimeout(r, steadySeconds * 1000));
    const finalMetrics = await operator.metrics();
    const after = requestSample(finalMetrics);
    const heapUsed = Number(
      /^symbiont_operator_nodejs_heap_size_used_bytes (\S+)/m.exec(finalMetrics)?.[1] ?? 0,
    );
    const row: Row = {
      kcmQps,
      modules,
      readySeconds: Math.round(readySeconds * 10) / 10,
      requestsPerModule: Math.round(((settled.requests - before.requests) / modules) * 10) / 10,
      writesPerModule: Math.round(((settled.writes - before.writes) / modules) * 10) / 10,
      peakRssMiB: peakRssMiB(operator.process.pid),
      steadyWrites: after.writes - settled.writes,
      steadyLeaseWrites: after.leaseWrites - settled.leaseWrites,
      heapUsedMiB: Math.round(heapUsed / 1048576),
    };
    await operator.stop();
    return row;
  } finally {
    client.close();
    await controlPlane.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

const rows: Row[] = [];
for (const kcmQps of kcmQpsList) {
  for (const modules of counts) {
    const row = await benchOne(kcmQps, modules);
    rows.push(row);
    console.log(JSON.stringify(row));
  }
}
console.log(
  `\n| kube-controller-manager QPS | modules | all Ready (s) | API requests / module | API writes / module | operator peak RSS (MiB) | heap in use at the end (MiB) | writes in ${steadySeconds} s steady state (lease renewals excluded) | lease renewals |`,
);
console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
for (const r of rows) {
  console.log(
    `| ${r.kcmQps} | ${r.modules} | ${r.readySeconds} | ${r.requestsPerModule} | ${r.writesPerModule} | ${r.peakRssMiB} | ${r.heapUsedMiB} | ${r.steadyWrites} | ${r.steadyLeaseWrites} |`,
  );
}

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startControlPlane } from "./control-plane.js";
import { crdSets, type CrdSet } from "./install-crds.js";
import { stopRecordedProcesses } from "./managed-process.js";
import { httpGet } from "./probe.js";
import { toolsBinDir, toolsCacheDir } from "./tool-paths.js";

// `make cluster` / `make cluster-down`: a control plane that outlives this command, in a
// fixed folder (SYMBIONT_CLUSTER_DIR, default <cache>/cluster) so `down` finds its pid files.

const clusterDir = process.env.SYMBIONT_CLUSTER_DIR ?? join(toolsCacheDir(), "cluster");
const kubeconfigPath = join(clusterDir, "kubeconfig");

function printExports(): void {
  console.log(`export KUBECONFIG=${kubeconfigPath}`);
  console.log(`export PATH=${toolsBinDir()}:$PATH`);
}

async function isRunning(): Promise<boolean> {
  if (!existsSync(kubeconfigPath)) return false;
  const config = readFileSync(kubeconfigPath, "utf8");
  const server = /server: (\S+)/.exec(config)?.[1];
  const token = /token: (\S+)/.exec(config)?.[1];
  const caFile = /certificate-authority: (\S+)/.exec(config)?.[1];
  if (!server || !token || !caFile || !existsSync(caFile)) return false;
  try {
    const { status } = await httpGet({ url: `${server}/readyz`, token, ca: readFileSync(caFile) });
    return status === 200;
  } catch {
    return false;
  }
}

async function up(): Promise<void> {
  if (await isRunning()) {
    console.error(`# the control plane in ${clusterDir} is already running`);
    printExports();
    return;
  }
  const crds = (process.env.SYMBIONT_CLUSTER_CRDS || "dapr") as CrdSet;
  if (!crdSets.includes(crds)) {
    throw new Error(
      `SYMBIONT_CLUSTER_CRDS (make cluster CRDS=...) must be one of ${crdSets.join(", ")}, not ${crds}`,
    );
  }
  const keep = process.env.SYMBIONT_CLUSTER_KEEP === "1";
  await stopRecordedProcesses(clusterDir);
  // A clean control plane unless asked to keep the last one's data (etcd, certificates).
  if (!keep) rmSync(clusterDir, { recursive: true, force: true });
  mkdirSync(clusterDir, { recursive: true });
  const started = Date.now();
  console.error(
    `# starting etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok in ${clusterDir}` +
      (keep ? " (keeping its data)" : ""),
  );
  await startControlPlane({ dir: clusterDir, keepDir: true, crds });
  console.error(
    {
      dapr: "# CRDs: Dapr's (Symbiont's come with `helm install`, or make cluster CRDS=all)",
      all: "# CRDs: Dapr's and Symbiont's (crds/)",
      none: "# CRDs: none (not even Dapr's)",
    }[crds],
  );
  writeFileSync(join(clusterDir, "started-at"), new Date().toISOString());
  console.error(
    `# ready in ${((Date.now() - started) / 1000).toFixed(1)}s; logs in ${join(clusterDir, "logs")}`,
  );
  console.error('# run these (or eval "$(make -s cluster)"), then: kubectl get nodes');
  printExports();
}

async function down(): Promise<void> {
  await stopRecordedProcesses(clusterDir, [
    "etcd",
    "kube-apiserver",
    "kube-controller-manager",
    "kube-scheduler",
    "kwok",
  ]);
  console.error(
    `# stopped the control plane in ${clusterDir} (the next \`make cluster\` starts clean unless KEEP=1; \`make cluster-clean\` removes it now)`,
  );
}

const command = process.argv[2];
if (command === "up") await up();
else if (command === "down") await down();
else if (command === "env") printExports();
else {
  console.error("usage: cli.ts up|down|env");
  process.exitCode = 2;
}

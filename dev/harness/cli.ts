import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startControlPlane } from "./control-plane.js";
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
  await stopRecordedProcesses(clusterDir);
  mkdirSync(clusterDir, { recursive: true });
  const started = Date.now();
  console.error(
    `# starting etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok in ${clusterDir}`,
  );
  await startControlPlane({ dir: clusterDir, keepDir: true });
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
    `# stopped the control plane in ${clusterDir} (data kept; \`make cluster-clean\` removes it)`,
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

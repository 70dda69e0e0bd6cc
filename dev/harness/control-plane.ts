import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { installCrds, type CrdSet } from "./install-crds.js";
import {
  isAlive,
  startProcess,
  stopRecordedProcesses,
  type ManagedProcess,
} from "./managed-process.js";
import { freePort, httpGet, waitUntil } from "./probe.js";
import { toolPath } from "./tool-paths.js";

// A real Kubernetes control plane on loopback: etcd, kube-apiserver (RBAC, service-account
// keys), kube-controller-manager, kube-scheduler and kwok with fake nodes whose pods become
// Running. Everything lives in one instance folder (data, certs, logs, pid files, kubeconfig)
// that stop() removes.

/** Start order; stopping goes the other way. */
const componentOrder = [
  "etcd",
  "kube-apiserver",
  "kube-controller-manager",
  "kube-scheduler",
  "kwok",
];

export interface ControlPlaneOptions {
  /** Instance folder; default: a new temporary folder under instancesRoot(). */
  dir?: string;
  /** Fake nodes to create (default 1). */
  nodes?: number;
  /** kube-controller-manager client QPS (its default 20 makes ~5 Deployments/s Ready). */
  controllerManagerQps?: number;
  /** Keep the folder on stop() (for debugging). */
  keepDir?: boolean;
  /** CRDs to install: Dapr's and Symbiont's (default), Dapr's only, or none. */
  crds?: CrdSet;
}

export interface ControlPlane {
  readonly dir: string;
  readonly kubeconfigPath: string;
  readonly server: string;
  kubeConfig(): KubeConfig;
  /** Kills kube-apiserver (an outage), waits `downMs`, and starts it again on the same port. */
  restartApiServer(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export function instancesRoot(): string {
  return join(tmpdir(), "symbiont-harness");
}

/**
 * Stops what earlier runs left behind: an instance folder whose owner process is gone
 * (a test run killed before its teardown). Only pid files are used, never process names.
 */
export async function cleanStaleInstances(root = instancesRoot()): Promise<void> {
  if (!existsSync(root)) return;
  for (const entry of readdirSync(root)) {
    const dir = join(root, entry);
    const ownerFile = join(dir, "owner.pid");
    const owner = existsSync(ownerFile) ? Number(readFileSync(ownerFile, "utf8")) : NaN;
    if (Number.isInteger(owner) && isAlive(owner)) continue;
    await stopRecordedProcesses(dir, componentOrder);
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const binaries = {
    etcd: toolPath("etcd"),
    apiserver: toolPath("kube-apiserver"),
    controllerManager: toolPath("kube-controller-manager"),
    scheduler: toolPath("kube-scheduler"),
    kwok: toolPath("kwok"),
  };
  let dir = options.dir;
  if (!dir) {
    await cleanStaleInstances();
    mkdirSync(instancesRoot(), { recursive: true });
    dir = await mkdtemp(join(instancesRoot(), "cp-"));
    writeFileSync(join(dir, "owner.pid"), String(process.pid));
  }
  mkdirSync(dir, { recursive: true });
  const instanceDir = dir;
  const stop = async () => {
    await stopRecordedProcesses(instanceDir, componentOrder);
    if (!options.keepDir) rmSync(instanceDir, { recursive: true, force: true });
  };

  try {
    return await bootControlPlane(instanceDir, binaries, options, stop);
  } catch (error) {
    await stop();
    throw error;
  }
}

async function bootControlPlane(
  dir: string,
  bin: Record<"etcd" | "apiserver" | "controllerManager" | "scheduler" | "kwok", string>,
  options: ControlPlaneOptions,
  stop: () => Promise<void>,
): Promise<ControlPlane> {
  const ports = {
    etcd: await freePort(),
    etcdPeer: await freePort(),
    apiserver: await freePort(),
    controllerManager: await freePort(),
    scheduler: await freePort(),
    kwok: await freePort(),
  };
  const pki = join(dir, "pki");
  mkdirSync(pki, { recursive: true });
  const token = randomBytes(24).toString("hex");
  writeFileSync(
    join(pki, "tokens.csv"),
    `${token},symbiont-admin,symbiont-admin,"system:masters"\n`,
    {
      mode: 0o600,
    },
  );
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  writeFileSync(join(pki, "sa.key"), privateKey.export({ type: "pkcs8", format: "pem" }), {
    mode: 0o600,
  });
  writeFileSync(join(pki, "sa.pub"), publicKey.export({ type: "spki", format: "pem" }));

  const etcd = await startProcess({
    name: "etcd",
    dir,
    command: bin.etcd,
    args: [
      "--name=default",
      `--data-dir=${join(dir, "etcd")}`,
      `--listen-client-urls=http://127.0.0.1:${ports.etcd}`,
      `--advertise-client-urls=http://127.0.0.1:${ports.etcd}`,
      `--listen-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
      `--initial-cluster=default=http://127.0.0.1:${ports.etcdPeer}`,
      "--listen-metrics-urls=",
      // Test data: durability across power loss is not needed, speed is.
      "--unsafe-no-fsync",
      "--log-level=warn",
    ],
  });
  await waitUntil(
    "etcd healthy",
    async () =>
      (await httpGet({ url: `http://127.0.0.1:${ports.etcd}/health` })).body.includes('"true"'),
    { process: etcd },
  );

  const certDir = join(pki, "serving");
  const apiserverOptions = {
    name: "kube-apiserver",
    dir,
    command: bin.apiserver,
    args: [
      `--etcd-servers=http://127.0.0.1:${ports.etcd}`,
      "--bind-address=127.0.0.1",
      "--advertise-address=127.0.0.1",
      `--secure-port=${ports.apiserver}`,
      `--cert-dir=${certDir}`,
      `--token-auth-file=${join(pki, "tokens.csv")}`,
      "--authorization-mode=Node,RBAC",
      "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
      `--service-account-key-file=${join(pki, "sa.pub")}`,
      `--service-account-signing-key-file=${join(pki, "sa.key")}`,
      "--service-cluster-ip-range=10.96.0.0/16",
      "--allow-privileged=true",
      // The `kubernetes` Service would need a routable address; nothing here dials it.
      "--endpoint-reconciler-type=none",
      "--profiling=false",
      "--v=0",
    ],
  };
  let apiserver = await startProcess(apiserverOptions);
  const server = `https://127.0.0.1:${ports.apiserver}`;
  const caFile = join(certDir, "apiserver.crt");
  const apiserverReady = (process: ManagedProcess) =>
    waitUntil(
      "kube-apiserver ready",
      async () => {
        if (!existsSync(caFile)) return false;
        const ca = readFileSync(caFile);
        return (await httpGet({ url: `${server}/readyz`, ca, token })).status === 200;
      },
      { process, timeoutMs: 120_000 },
    );
  await apiserverReady(apiserver);

  const kubeconfigPath = join(dir, "kubeconfig");
  writeFileSync(kubeconfigPath, renderKubeconfig(server, caFile, token), { mode: 0o600 });

  const componentArgs = (port: number) => [
    `--kubeconfig=${kubeconfigPath}`,
    `--authentication-kubeconfig=${kubeconfigPath}`,
    `--authorization-kubeconfig=${kubeconfigPath}`,
    "--bind-address=127.0.0.1",
    `--secure-port=${port}`,
    `--cert-dir=${join(pki, "components")}`,
    "--leader-elect=false",
    "--v=0",
  ];
  const qps = options.controllerManagerQps ?? 200;
  const controllerManager = await startProcess({
    name: "kube-controller-manager",
    dir,
    command: bin.controllerManager,
    args: [
      ...componentArgs(ports.controllerManager),
      `--service-account-private-key-file=${join(pki, "sa.key")}`,
      `--root-ca-file=${caFile}`,
      "--use-service-account-credentials=false",
      `--kube-api-qps=${qps}`,
      `--kube-api-burst=${qps * 2}`,
      "--concurrent-deployment-syncs=10",
      "--concurrent-replicaset-syncs=10",
    ],
  });
  const scheduler = await startProcess({
    name: "kube-scheduler",
    dir,
    command: bin.scheduler,
    args: [...componentArgs(ports.scheduler), "--kube-api-qps=200", "--kube-api-burst=400"],
  });
  const kwok = await startProcess({
    name: "kwok",
    dir,
    command: bin.kwok,
    args: [
      `--kubeconfig=${kubeconfigPath}`,
      "--manage-all-nodes=false",
      "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
      "--manage-nodes-with-label-selector=",
      "--manage-single-node=",
      "--cidr=10.244.0.0/16",
      "--node-ip=10.0.0.1",
      "--node-lease-duration-seconds=40",
      `--server-address=127.0.0.1:${ports.kwok}`,
    ],
    // kwok reads ~/.kwok/kwok.yaml when present: an empty HOME keeps its built-in fast stages.
    env: { ...process.env, HOME: dir },
  });

  const health = (port: number, process: ManagedProcess, what: string) =>
    waitUntil(
      what,
      async () =>
        (await httpGet({ url: `https://127.0.0.1:${port}/healthz`, insecure: true })).status ===
        200,
      { process, timeoutMs: 60_000 },
    );
  await health(ports.controllerManager, controllerManager, "kube-controller-manager healthy");
  await health(ports.scheduler, scheduler, "kube-scheduler healthy");

  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const core = kc.makeApiClient(CoreV1Api);
  const nodeCount = options.nodes ?? 1;
  for (let index = 0; index < nodeCount; index++) {
    try {
      await core.createNode({ body: fakeNode(`kwok-node-${index}`) });
    } catch (error) {
      // A restarted `make cluster` keeps its etcd data, nodes included.
      if ((error as { code?: number }).code !== 409) throw error;
    }
  }
  await waitUntil(
    `${nodeCount} kwok node(s) Ready`,
    async () => {
      const nodes = await core.listNode();
      const ready = nodes.items.filter((node) =>
        node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
      );
      return ready.length >= nodeCount;
    },
    { process: kwok, timeoutMs: 60_000 },
  );
  // Pods can be created once the controller manager made the default ServiceAccount.
  await waitUntil(
    "default ServiceAccount created by kube-controller-manager",
    async () => {
      await core.readNamespacedServiceAccount({ name: "default", namespace: "default" });
      return true;
    },
    { process: controllerManager, timeoutMs: 60_000 },
  );
  await installCrds(kc, options.crds);

  return {
    dir,
    kubeconfigPath,
    server,
    restartApiServer: async (downMs = 0) => {
      try {
        process.kill(-apiserver.pid, "SIGKILL");
      } catch {
        // already gone
      }
      while (!apiserver.exited()) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, downMs));
      apiserver = await startProcess(apiserverOptions);
      await apiserverReady(apiserver);
    },
    kubeConfig: () => {
      const config = new KubeConfig();
      config.loadFromFile(kubeconfigPath);
      return config;
    },
    stop,
  };
}

function renderKubeconfig(server: string, caFile: string, token: string): string {
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- name: symbiont-sim",
    "  cluster:",
    `    server: ${server}`,
    `    certificate-authority: ${caFile}`,
    "users:",
    "- name: symbiont-admin",
    "  user:",
    `    token: ${token}`,
    "contexts:",
    "- name: symbiont-sim",
    "  context:",
    "    cluster: symbiont-sim",
    "    user: symbiont-admin",
    "    namespace: default",
    "current-context: symbiont-sim",
    "",
  ].join("\n");
}

/** A Node that kwok manages (by its annotation) and that ordinary pods schedule onto. */
function fakeNode(name: string) {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      annotations: { "node.alpha.kubernetes.io/ttl": "0", "kwok.x-k8s.io/node": "fake" },
      labels: {
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/os": "linux",
        "kubernetes.io/hostname": name,
        "kubernetes.io/role": "agent",
        "node-role.kubernetes.io/agent": "",
        type: "kwok",
      },
    },
    status: {
      allocatable: { cpu: "256", memory: "1Ti", pods: "5000" },
      capacity: { cpu: "256", memory: "1Ti", pods: "5000" },
    },
  };
}

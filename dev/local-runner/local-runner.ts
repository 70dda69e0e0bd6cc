import { createHash } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { KubeClient, type ResourceType } from "../../operator/src/kube/kube-client.js";
import type { KubeObject } from "../../operator/src/kube/kube-object.js";
import { Informer } from "../../operator/src/runtime/informer.js";
import { startDaprd, type Daprd } from "../harness/daprd.js";
import { startProcess, stopPid, type ManagedProcess } from "../harness/managed-process.js";
import { freePort, httpGet, waitUntil } from "../harness/probe.js";
import { repoRoot } from "../harness/tool-paths.js";
import { writeDaprResources, type DaprInputs } from "./dapr-resources.js";
import { appTokenEnv, appTokenSecretKey } from "@symbiont/contracts";

// The local default's runner (DESIGN "Local default"): it watches the Deployments the
// operator rendered, and for every one whose image is one of Symbiont's own services
// (ghcr.io/symbiont-dev/<service>) it runs that service as a local process with a real
// daprd sidecar, configured from the API server: app-id and port from the Deployment, Dapr
// resources from the Components/Subscriptions/Resiliency scoped to it, environment from the
// container (Secret and ConfigMap references resolved), ConfigMap volumes as files. Other
// images stay simulated by KWOK. When what a Deployment needs changes, its process restarts.

const imagePattern = /^ghcr\.io\/symbiont-dev\/([a-z0-9-]+)(:[\w.-]+)?$/;

interface Container {
  image: string;
  ports?: { name?: string; containerPort: number }[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: {
      secretKeyRef?: { name: string; key: string };
      configMapKeyRef?: { name: string; key: string };
      fieldRef?: { fieldPath: string };
    };
  }[];
  volumeMounts?: { name: string; mountPath: string }[];
}
interface Deployment extends KubeObject {
  spec: {
    replicas?: number;
    template: {
      metadata: { annotations?: Record<string, string> };
      spec: { containers: Container[]; volumes?: { name: string; configMap?: { name: string } }[] };
    };
  };
}
interface DataObject extends KubeObject {
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

export interface RunningApp {
  appId: string;
  service: string;
  port: number;
  url: string;
  /** The container's other named ports (e.g. the gateway's webhooks and admin) -> local ports. */
  ports: Record<string, number>;
  daprd: Daprd;
  process: ManagedProcess;
  fingerprint: string;
}

export interface LocalRunnerOptions {
  kc: KubeConfig;
  kubeconfigPath: string;
  namespace: string;
  dir: string;
  logger: Logger;
  /** Fixed ports by app-id, for apps whose public URL is configured before they start (the SSO). */
  ports?: Record<string, number>;
}

const types: Record<string, ResourceType> = {
  deployments: { apiVersion: "apps/v1", kind: "Deployment" },
  components: { apiVersion: "dapr.io/v1alpha1", kind: "Component" },
  subscriptions: { apiVersion: "dapr.io/v2alpha1", kind: "Subscription" },
  resiliencies: { apiVersion: "dapr.io/v1alpha1", kind: "Resiliency" },
  configurations: { apiVersion: "dapr.io/v1alpha1", kind: "Configuration" },
  secrets: { apiVersion: "v1", kind: "Secret" },
  configmaps: { apiVersion: "v1", kind: "ConfigMap" },
};

export class LocalRunner {
  readonly apps = new Map<string, RunningApp>();
  private readonly sidecars: Daprd[] = [];
  private readonly client: KubeClient;
  private readonly informers: Record<string, Informer<KubeObject>>;
  private readonly stopping = new AbortController();
  private syncing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(private readonly options: LocalRunnerOptions) {
    this.client = new KubeClient(options.kc, { userAgent: "symbiont-local-runner" });
    this.informers = Object.fromEntries(
      Object.entries(types).map(([name, type]) => [
        name,
        new Informer<KubeObject>(this.client, type, options.logger, {
          namespace: options.namespace,
        }),
      ]),
    );
  }

  async start(): Promise<void> {
    for (const informer of Object.values(this.informers)) {
      void informer.run(this.stopping.signal);
      informer.onChange(() => this.schedule());
    }
    await Promise.all(Object.values(this.informers).map((i) => i.waitForSync()));
    this.schedule();
  }

  /** Resolves once the API server has been quiet for a second and every local app is started. */
  async settled(): Promise<void> {
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000));
      if (this.timer === undefined && !this.busy) return;
      await this.syncing;
    }
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    clearTimeout(this.timer);
    await this.syncing;
    await Promise.all([...this.apps.values()].map((app) => this.stopApp(app)));
    await Promise.all(this.sidecars.map((sidecar) => sidecar.stop()));
    this.apps.clear();
    this.client.close();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.busy = true;
      this.syncing = this.syncing
        .then(() => this.sync())
        .catch((error: Error) =>
          this.options.logger.error({ err: error.message }, "local runner sync failed"),
        )
        .finally(() => (this.busy = false));
    }, 300);
  }

  private async sync(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    const wanted = new Map<string, Deployment>();
    for (const deployment of this.informers.deployments!.list() as Deployment[]) {
      const annotations = deployment.spec.template.metadata.annotations ?? {};
      const service = imagePattern.exec(
        deployment.spec.template.spec.containers[0]?.image ?? "",
      )?.[1];
      if (
        annotations["dapr.io/enabled"] !== "true" ||
        !service ||
        (deployment.spec.replicas ?? 1) === 0
      )
        continue;
      if (!existsSync(join(repoRoot, "services", service, "src", "main.ts"))) continue;
      wanted.set(annotations["dapr.io/app-id"] ?? deployment.metadata.name, deployment);
    }
    for (const [appId, app] of this.apps) {
      if (!wanted.has(appId)) {
        this.options.logger.info({ appId }, "stopping a local app whose Deployment is gone");
        await this.stopApp(app);
        this.apps.delete(appId);
      }
    }
    await Promise.all(
      [...wanted].map(([appId, deployment]) =>
        this.ensure(appId, deployment).catch((error: Error) =>
          this.options.logger.error({ appId, err: error.message }, "could not start a local app"),
        ),
      ),
    );
  }

  private async ensure(appId: string, deployment: Deployment): Promise<void> {
    const annotations = deployment.spec.template.metadata.annotations ?? {};
    const service = imagePattern.exec(deployment.spec.template.spec.containers[0]!.image)![1]!;
    const appDir = join(this.options.dir, "apps", appId);
    mkdirSync(appDir, { recursive: true });
    const resources = writeDaprResources(
      appDir,
      appId,
      annotations["dapr.io/config"],
      this.daprInputs(),
    );
    const { env, files } = this.containerEnv(deployment, appDir);
    const sidecarEnv = this.sidecarEnv(annotations);
    const fingerprint = createHash("sha256")
      .update(
        JSON.stringify({ template: deployment.spec.template, env, files, sidecarEnv }) +
          resources.content,
      )
      .digest("hex");
    const current = this.apps.get(appId);
    if (
      current?.fingerprint === fingerprint &&
      !current.process.exited() &&
      !current.daprd.process.exited()
    )
      return;
    if (current) {
      this.options.logger.info({ appId }, "restarting a local app: its configuration changed");
      await this.stopApp(current);
    }
    const port = this.options.ports?.[appId] ?? (await freePort());
    // The container's other ports get free local ports (every app shares the loopback);
    // environment values naming them follow (e.g. SYMBIONT_ADMIN_PORT=8082).
    const appPort = Number(annotations["dapr.io/app-port"]);
    const ports: Record<string, number> = {};
    for (const declared of deployment.spec.template.spec.containers[0]!.ports ?? []) {
      if (declared.containerPort === appPort || !declared.name) continue;
      const local = await freePort();
      ports[declared.name] = local;
      for (const [name, value] of Object.entries(env))
        if (value === String(declared.containerPort)) env[name] = String(local);
    }
    const maxConcurrency = annotations["dapr.io/app-max-concurrency"];
    const daprd = await startDaprd({
      appId,
      appPort: port,
      resourcesDir: resources.resourcesDir,
      configFile: resources.configFile,
      dir: appDir,
      ...(maxConcurrency ? { appMaxConcurrency: Number(maxConcurrency) } : {}),
      env: { ...globalThis.process.env, ...this.sidecarEnv(annotations) },
    });
    const process = await startProcess({
      name: service,
      dir: appDir,
      command: globalThis.process.execPath,
      args: [
        "--conditions=symbiont-source",
        "--import",
        "tsx",
        join(repoRoot, "services", service, "src", "main.ts"),
        `--instance=${appDir}`,
      ],
      cwd: repoRoot,
      env: {
        ...env,
        PATH: globalThis.process.env.PATH,
        HOME: globalThis.process.env.HOME,
        PORT: String(port),
        DAPR_HTTP_PORT: String(daprd.httpPort),
        DAPR_GRPC_PORT: String(daprd.grpcPort),
        ...(annotations["dapr.io/app-id"]?.endsWith("-bus-gateway")
          ? { KUBECONFIG: this.options.kubeconfigPath }
          : {}),
      },
    });
    const url = `http://127.0.0.1:${port}`;
    this.apps.set(appId, { appId, service, port, url, ports, daprd, process, fingerprint });
    await waitUntil(
      `${appId} (${service}) ready`,
      async () => (await httpGet({ url: `${url}/readyz` })).status === 200,
      {
        process,
        timeoutMs: 60_000,
      },
    );
    this.options.logger.info({ appId, service, url, daprHttp: daprd.url }, "local app running");
  }

  /**
   * A sidecar alone for a module whose app is simulated (e.g. to publish as that module, with
   * exactly its scopes). Stopped with the runner.
   */
  async startSidecar(appId: string): Promise<Daprd> {
    const deployment = (this.informers.deployments!.list() as Deployment[]).find(
      (d) => d.spec.template.metadata.annotations?.["dapr.io/app-id"] === appId,
    );
    if (!deployment) throw new Error(`no Dapr-enabled Deployment has app-id ${appId}`);
    const dir = join(this.options.dir, "sidecars", appId);
    mkdirSync(dir, { recursive: true });
    const config = deployment.spec.template.metadata.annotations?.["dapr.io/config"];
    const resources = writeDaprResources(dir, appId, config, this.daprInputs());
    const daprd = await startDaprd({
      appId,
      resourcesDir: resources.resourcesDir,
      configFile: resources.configFile,
      dir,
    });
    this.sidecars.push(daprd);
    return daprd;
  }

  /**
   * What the Dapr injector gives the sidecar from the pod's annotations: the app API token
   * from the Secret `dapr.io/app-token-secret` names (key `token`), as APP_API_TOKEN.
   */
  private sidecarEnv(annotations: Record<string, string>): Record<string, string> {
    const secretName = annotations["dapr.io/app-token-secret"];
    if (!secretName) return {};
    const secret = this.informers.secrets!.get(`${this.options.namespace}/${secretName}`) as
      DataObject | undefined;
    const token = decode(secret?.data)[appTokenSecretKey];
    if (token === undefined)
      throw new Error(
        `the Secret ${secretName} (dapr.io/app-token-secret) has no ${appTokenSecretKey} yet`,
      );
    return { [appTokenEnv]: token };
  }

  private daprInputs(): DaprInputs {
    const secrets = new Map<string, Record<string, string>>();
    for (const secret of this.informers.secrets!.list() as DataObject[]) {
      secrets.set(secret.metadata.name, decode(secret.data));
    }
    return {
      components: this.informers.components!.list(),
      subscriptions: this.informers.subscriptions!.list(),
      resiliencies: this.informers.resiliencies!.list(),
      configurations: this.informers.configurations!.list(),
      secrets,
    };
  }

  /** The container's environment with references resolved, and ConfigMap volumes written as files. */
  private containerEnv(
    deployment: Deployment,
    appDir: string,
  ): { env: Record<string, string>; files: string[] } {
    const container = deployment.spec.template.spec.containers[0]!;
    const lookup = (kind: "secrets" | "configmaps", name: string, key: string) => {
      const object = this.informers[kind]!.get(`${this.options.namespace}/${name}`) as
        DataObject | undefined;
      return kind === "secrets" ? decode(object?.data)[key] : object?.data?.[key];
    };
    const mounts = new Map<string, string>();
    const files: string[] = [];
    for (const mount of container.volumeMounts ?? []) {
      const volume = deployment.spec.template.spec.volumes?.find((v) => v.name === mount.name);
      if (!volume?.configMap) continue;
      const local = join(appDir, "volumes", mount.name);
      mkdirSync(local, { recursive: true });
      const data =
        (
          this.informers.configmaps!.get(`${this.options.namespace}/${volume.configMap.name}`) as
            DataObject | undefined
        )?.data ?? {};
      for (const [file, content] of Object.entries(data)) {
        writeFileSync(join(local, file), content);
        files.push(content);
      }
      mounts.set(mount.mountPath, local);
    }
    const env: Record<string, string> = {};
    for (const entry of container.env ?? []) {
      let value = entry.value;
      if (entry.valueFrom?.secretKeyRef)
        value = lookup(
          "secrets",
          entry.valueFrom.secretKeyRef.name,
          entry.valueFrom.secretKeyRef.key,
        );
      if (entry.valueFrom?.configMapKeyRef)
        value = lookup(
          "configmaps",
          entry.valueFrom.configMapKeyRef.name,
          entry.valueFrom.configMapKeyRef.key,
        );
      // The pod's own fields: one local process per Deployment, on loopback.
      if (entry.valueFrom?.fieldRef?.fieldPath === "metadata.name")
        value = `${deployment.metadata.name}-local`;
      if (entry.valueFrom?.fieldRef?.fieldPath === "status.podIP") value = "127.0.0.1";
      if (value === undefined) continue;
      for (const [mountPath, local] of mounts)
        if (value.startsWith(mountPath)) value = local + value.slice(mountPath.length);
      env[entry.name] = value;
    }
    return { env, files };
  }

  private async stopApp(app: RunningApp): Promise<void> {
    await stopPid(app.process.pid);
    await app.daprd.stop();
  }
}

function decode(data: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(data ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]),
  );
}

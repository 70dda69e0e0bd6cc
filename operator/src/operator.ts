import { setMaxListeners } from "node:events";
import type { KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";
import type { EcosystemModule } from "./api/ecosystem-module.types.js";
import type { Ecosystem } from "./api/ecosystem.types.js";
import type { OperatorConfig } from "./config.js";
import { ecosystemChildTypes } from "./controllers/ecosystem/desired-children.js";
import {
  modulesByEcosystem,
  reconcileEcosystem,
} from "./controllers/ecosystem/reconcile-ecosystem.js";
import { moduleChildTypes } from "./controllers/module/desired-children.js";
import { reconcileModule } from "./controllers/module/reconcile-module.js";
import { KubeClient, type ResourceType } from "./kube/kube-client.js";
import { keyOf, type KubeObject, type ObjectKey } from "./kube/kube-object.js";
import type { OperatorMetrics } from "./metrics/operator-metrics.js";
import { ChildApplier } from "./runtime/child-applier.js";
import { Controller } from "./runtime/controller.js";
import { EventRecorder } from "./runtime/event-recorder.js";
import { Informer } from "./runtime/informer.js";
import { LeaderElector } from "./runtime/leader-election.js";
import { controllerKey, managedByLabel, managedByValue } from "./runtime/owner-refs.js";
import { describeError } from "./runtime/reconcile-error.js";
import { StatusWriter, type HasStatus } from "./runtime/status-writer.js";

// Wiring only: informers -> work queues -> reconcilers, behind leader election.

export interface RunningOperator {
  /** True once every cache has synced (readiness). */
  ready(): boolean;
  isLeader(): boolean;
  /** Resolves when the operator stops: "stopped" on request, "lost" when the lease was lost. */
  done: Promise<"stopped" | "lost">;
  stop(): Promise<void>;
  client: KubeClient;
}

export function startOperator(
  kc: KubeConfig,
  config: OperatorConfig,
  logger: Logger,
  metrics: OperatorMetrics,
): RunningOperator {
  const client = new KubeClient(kc, {
    qps: config.kubeQps,
    burst: config.kubeBurst,
    onRequest: metrics.recordRequest,
  });
  const stopping = new AbortController();
  // Every informer's watch request listens to the same stop signal.
  setMaxListeners(64, stopping.signal);
  const namespace = config.watchNamespace;
  const informer = <T extends KubeObject>(type: ResourceType, labelSelector?: string) => {
    const i = new Informer<T>(client, type, logger, { namespace, labelSelector });
    metrics.cachedObjects.collect(type.kind, () => i.size);
    return i;
  };

  const ecosystems = informer<Ecosystem>({
    apiVersion: "symbiont.dev/v1alpha1",
    kind: "Ecosystem",
  });
  const modules = informer<EcosystemModule>({
    apiVersion: "symbiont.dev/v1alpha1",
    kind: "EcosystemModule",
  });
  modules.addIndex(modulesByEcosystem, (m) => [
    `${m.metadata.namespace}/${m.spec.ecosystemRef.name}`,
  ]);
  const childTypes = uniqueTypes([...ecosystemChildTypes, ...moduleChildTypes]);
  const childInformers = childTypes.map((type) =>
    informer<KubeObject>(type, `${managedByLabel}=${managedByValue}`),
  );
  const allInformers: Informer<KubeObject>[] = [
    ecosystems as unknown as Informer<KubeObject>,
    modules as unknown as Informer<KubeObject>,
    ...childInformers,
  ];

  const events = new EventRecorder(client, "symbiont-operator", config.identity, logger);
  const status = new StatusWriter(client, events, logger);
  const children = new ChildApplier(client, logger);
  for (const childInformer of childInformers) children.track(childInformer);

  const markFailed = async (object: HasStatus | undefined, error: unknown) => {
    if (!object) return;
    const { reason, message } = describeError(error);
    await status.writeCondition(object, { type: "Ready", status: "False", reason, message });
  };
  const ecosystemController = new Controller({
    kind: "Ecosystem",
    logger,
    metrics,
    workers: config.workers,
    reconcile: (key) =>
      reconcileEcosystem(key, {
        ecosystems,
        modules,
        children,
        status,
        gatewayInputs: () => ({ routes: [], partners: [], gatewaySecretEnv: [] }),
      }),
    onError: (key, error) => markFailed(ecosystems.get(key), error),
  });
  const moduleController = new Controller({
    kind: "EcosystemModule",
    logger,
    metrics,
    workers: config.workers,
    reconcile: (key) => reconcileModule(key, { modules, ecosystems, children, status }),
    onError: (key, error) => markFailed(modules.get(key), error),
  });

  // Level-triggered: every change only says which object to look at again.
  ecosystems.onChange((eco) => {
    const key = keyOf(eco.metadata);
    ecosystemController.enqueue(key);
    for (const module of modules.byIndex(modulesByEcosystem, key))
      moduleController.enqueue(keyOf(module.metadata));
  });
  modules.onChange((module, previous) => {
    moduleController.enqueue(keyOf(module.metadata));
    ecosystemController.enqueue(ecosystemKeyOf(module));
    if (previous) ecosystemController.enqueue(ecosystemKeyOf(previous));
  });
  for (const childInformer of childInformers) {
    childInformer.onChange((child) => {
      ecosystemController.enqueue(controllerKey(child, "Ecosystem"));
      moduleController.enqueue(controllerKey(child, "EcosystemModule"));
    });
  }

  const informersRunning = allInformers.map((i) => i.run(stopping.signal));
  let leading = false;
  const lead = async (signal: AbortSignal) => {
    await Promise.all(allInformers.map((i) => i.waitForSync()));
    leading = true;
    metrics.leader.set(1);
    // Every object is looked at once after (re)gaining the lease.
    for (const eco of ecosystems.list()) ecosystemController.enqueue(keyOf(eco.metadata));
    for (const module of modules.list()) moduleController.enqueue(keyOf(module.metadata));
    await Promise.all([ecosystemController.run(signal), moduleController.run(signal)]);
    leading = false;
    metrics.leader.set(0);
  };

  const done: Promise<"stopped" | "lost"> = config.leaderElection
    ? new LeaderElector(
        client,
        {
          namespace: config.lease.namespace,
          name: config.lease.name,
          identity: config.identity,
          leaseDurationSeconds: config.lease.durationSeconds,
          renewDeadlineSeconds: config.lease.renewDeadlineSeconds,
          retryPeriodSeconds: config.lease.retryPeriodSeconds,
        },
        logger,
      ).run(stopping.signal, lead)
    : lead(stopping.signal).then(() => "stopped" as const);

  return {
    ready: () => allInformers.every((i) => i.synced),
    isLeader: () => leading,
    done,
    client,
    stop: async () => {
      stopping.abort();
      await done;
      await Promise.allSettled(informersRunning);
      client.close();
    },
  };
}

function ecosystemKeyOf(module: EcosystemModule): ObjectKey {
  return `${module.metadata.namespace}/${module.spec.ecosystemRef.name}`;
}

function uniqueTypes(types: ResourceType[]): ResourceType[] {
  const seen = new Map(types.map((t) => [`${t.apiVersion}/${t.kind}`, t]));
  return [...seen.values()];
}

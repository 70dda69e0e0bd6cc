import { setMaxListeners } from "node:events";
import type { KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";
import type { BusRoute } from "./api/bus-route.types.js";
import type { EcosystemModule } from "./api/ecosystem-module.types.js";
import type { Ecosystem } from "./api/ecosystem.types.js";
import type { PartnerIntegration } from "./api/partner-integration.types.js";
import type { OperatorConfig } from "./config.js";
import { ecosystemChildTypes } from "./controllers/ecosystem/desired-children.js";
import { GatewayReviewers } from "./controllers/ecosystem/gateway-reviewers.js";
import { reconcileEcosystem } from "./controllers/ecosystem/reconcile-ecosystem.js";
import { byEcosystem, byModule, ecosystemKeyOf, moduleKeyOfPod } from "./controllers/indexes.js";
import { moduleLabel } from "./controllers/labels.js";
import type { PodLike } from "./controllers/pod-problems.js";
import { moduleChildTypes } from "./controllers/module/desired-children.js";
import { reconcileModule } from "./controllers/module/reconcile-module.js";
import { partnerChildTypes } from "./controllers/partner/desired-children.js";
import { operatorConditions } from "./controllers/partner/desired-status.js";
import { reconcilePartner } from "./controllers/partner/reconcile-partner.js";
import { reconcileRoute } from "./controllers/route/reconcile-route.js";
import { KubeClient, type ResourceType } from "./kube/kube-client.js";
import { keyOf, type KubeObject } from "./kube/kube-object.js";
import type { OperatorMetrics } from "./metrics/operator-metrics.js";
import { ChildApplier } from "./runtime/child-applier.js";
import { Controller, type Reconcile } from "./runtime/controller.js";
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

const api = "symbiont.dev/v1alpha1";

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
  const informer = <T extends KubeObject>(type: ResourceType, labelSelector?: string) => {
    const i = new Informer<T>(client, type, logger, {
      namespace: config.watchNamespace,
      labelSelector,
    });
    metrics.cachedObjects.collect(type.kind, () => i.size);
    return i;
  };

  const ecosystems = informer<Ecosystem>({ apiVersion: api, kind: "Ecosystem" });
  const modules = informer<EcosystemModule>({ apiVersion: api, kind: "EcosystemModule" });
  const partners = informer<PartnerIntegration>({ apiVersion: api, kind: "PartnerIntegration" });
  const routes = informer<BusRoute>({ apiVersion: api, kind: "BusRoute" });
  metrics.readiness.collect("Ecosystem", () => ecosystems.list());
  metrics.readiness.collect("EcosystemModule", () => modules.list());
  metrics.readiness.collect("PartnerIntegration", () => partners.list());
  metrics.readiness.collect("BusRoute", () => routes.list());
  modules.addIndex(byEcosystem, (m) => [ecosystemKeyOf(m)]);
  partners.addIndex(byEcosystem, (p) => [ecosystemKeyOf(p)]);
  routes.addIndex(byEcosystem, (r) => [ecosystemKeyOf(r)]);
  // Children are cached only when they carry the operator's label (memory: ours only).
  const childInformers = uniqueTypes([
    ...ecosystemChildTypes,
    ...moduleChildTypes,
    ...partnerChildTypes,
  ]).map((type) => informer<KubeObject>(type, `${managedByLabel}=${managedByValue}`));
  // Modules' pods: they say at once what their Deployment says only after its deadline.
  const pods = informer<PodLike>({ apiVersion: "v1", kind: "Pod" }, moduleLabel);
  pods.addIndex(byModule, moduleKeyOfPod);
  const allInformers = [
    ecosystems,
    modules,
    partners,
    routes,
    pods,
    ...childInformers,
  ] as unknown as Informer<KubeObject>[];

  const events = new EventRecorder(client, "symbiont-operator", config.identity, logger);
  const status = new StatusWriter(client, events, logger);
  const children = new ChildApplier(client, logger);
  const reviewers = new GatewayReviewers(client, logger);
  for (const childInformer of childInformers) children.track(childInformer);

  const controller = (
    kind: string,
    reconcile: Reconcile,
    objects: Informer<HasStatus>,
    owned?: Parameters<StatusWriter["writeCondition"]>[2],
  ) =>
    new Controller({
      kind,
      logger,
      metrics,
      workers: config.workers,
      reconcile,
      // The one error policy: Ready=False with the reason and a message a person can act on.
      onError: async (key, error) => {
        const object = objects.get(key);
        if (!object) return;
        const { reason, message } = describeError(error);
        await status.writeCondition(
          object,
          { type: "Ready", status: "False", reason, message },
          owned,
        );
      },
    });
  const asStatus = <T>(i: Informer<T & KubeObject>) => i as unknown as Informer<HasStatus>;
  const ecosystemController = controller(
    "Ecosystem",
    (key) =>
      reconcileEcosystem(key, {
        ecosystems,
        modules,
        partners,
        routes,
        children,
        status,
        reviewers,
      }),
    asStatus(ecosystems),
  );
  const moduleController = controller(
    "EcosystemModule",
    (key) => reconcileModule(key, { modules, ecosystems, children, status, pods }),
    asStatus(modules),
  );
  const partnerController = controller(
    "PartnerIntegration",
    (key) => reconcilePartner(key, { partners, ecosystems, children, status }),
    asStatus(partners),
    // The bus gateway owns the delivery counts and its own conditions.
    (s) => ({
      observedGeneration: (s as { observedGeneration?: number }).observedGeneration,
      conditions: operatorConditions(s.conditions),
    }),
  );
  const routeController = controller(
    "BusRoute",
    (key) => reconcileRoute(key, { routes, ecosystems, modules, partners, status }),
    asStatus(routes),
  );
  const controllers = [ecosystemController, moduleController, partnerController, routeController];

  // Level-triggered: a change only says which objects to look at again. A route's verdict
  // depends on who publishes; the gateway's configuration (the Ecosystem's) on routes and
  // partners; a module's and a partner's children on their Ecosystem.
  // A burst of module changes (kubectl apply -f of many modules) collapses into one
  // reconcile of their Ecosystem instead of one per module.
  const coalesceMs = 300;
  const lookAgainAt = (ecoKey: string, delayMs = coalesceMs) => {
    ecosystemController.enqueueAfter(ecoKey, delayMs);
    for (const route of routes.byIndex(byEcosystem, ecoKey))
      routeController.enqueueAfter(keyOf(route.metadata), delayMs);
  };
  ecosystems.onChange((eco) => {
    const key = keyOf(eco.metadata);
    lookAgainAt(key, 0);
    for (const module of modules.byIndex(byEcosystem, key))
      moduleController.enqueue(keyOf(module.metadata));
    for (const partner of partners.byIndex(byEcosystem, key))
      partnerController.enqueue(keyOf(partner.metadata));
  });
  const dependents =
    (own: Controller | undefined) =>
    (
      object: KubeObject & { spec: { ecosystemRef: { name: string } } },
      previous?: typeof object,
    ) => {
      own?.enqueue(keyOf(object.metadata));
      lookAgainAt(ecosystemKeyOf(object));
      if (previous) lookAgainAt(ecosystemKeyOf(previous));
    };
  modules.onChange(dependents(moduleController));
  partners.onChange(dependents(partnerController));
  routes.onChange(dependents(undefined));
  pods.onChange((pod) => {
    for (const key of moduleKeyOfPod(pod)) moduleController.enqueue(key);
  });
  for (const childInformer of childInformers) {
    childInformer.onChange((child) => {
      ecosystemController.enqueue(controllerKey(child, "Ecosystem"));
      moduleController.enqueue(controllerKey(child, "EcosystemModule"));
      partnerController.enqueue(controllerKey(child, "PartnerIntegration"));
    });
  }

  const informersRunning = allInformers.map((i) => i.run(stopping.signal));
  let leading = false;
  const lead = async (signal: AbortSignal) => {
    await Promise.all(allInformers.map((i) => i.waitForSync()));
    leading = true;
    metrics.leader.set(1);
    const running = controllers.map((c) => c.run(signal));
    // Every object is looked at once after (re)gaining the lease.
    for (const eco of ecosystems.list()) lookAgainAt(keyOf(eco.metadata), 0);
    for (const module of modules.list()) moduleController.enqueue(keyOf(module.metadata));
    for (const partner of partners.list()) partnerController.enqueue(keyOf(partner.metadata));
    for (const route of routes.list()) routeController.enqueue(keyOf(route.metadata));
    await Promise.all(running);
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

function uniqueTypes(types: ResourceType[]): ResourceType[] {
  return [...new Map(types.map((t) => [`${t.apiVersion}/${t.kind}`, t])).values()];
}

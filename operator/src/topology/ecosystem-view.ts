import { gatewayName } from "@symbiont/contracts";
import type { BusRoute } from "../api/bus-route.types.js";
import type { EcosystemModule } from "../api/ecosystem-module.types.js";
import type { Ecosystem } from "../api/ecosystem.types.js";
import type { PartnerIntegration } from "../api/partner-integration.types.js";

// The ecosystem at a glance, as data: what `kubectl symbiont status` prints and the topology
// page shows, built from the objects' own status (the operator's conditions, the bus gateway's
// delivery and dead-letter counts). Only names, types, conditions and counts: nothing of a
// spec that could carry a credential (endpoints, Secret references, env).

export interface EcosystemObjects {
  ecosystems: Ecosystem[];
  modules: EcosystemModule[];
  partners: PartnerIntegration[];
  routes: BusRoute[];
}

/** One condition as a person reads it: the message only where something is wrong. */
export interface Readiness {
  status: "True" | "False" | "Unknown";
  /** CamelCase reason, "-" before the first status. */
  reason: string;
  /** Why not Ready; empty when Ready. */
  message: string;
}

/** A condition other than Ready, with its message whatever its status. */
export interface ConditionView extends Readiness {
  type: string;
}

export interface ModuleView {
  name: string;
  tier: string;
  type: string;
  /** ready/desired, "?/desired" before the first status. */
  replicas: string;
  ready: Readiness;
  deadLetters: number;
}

export interface PartnerView {
  name: string;
  category: string;
  direction: string;
  ready: Readiness;
  delivered: number;
  retrying: number;
  buffered: number;
  deadLettered: number;
  lastError: string;
}

export interface RouteView {
  name: string;
  topic: string;
  direction: string;
  ready: Readiness;
  deadLetters: number;
}

export interface BusView {
  type: string;
  component?: string;
}

export interface EcosystemView {
  namespace: string;
  name: string;
  /** False when only modules, partners or routes name it. */
  found: boolean;
  ready: Readiness;
  buses?: { internal: BusView; corporate: BusView; configured?: ConditionView };
  gateway: {
    appId: string;
    available?: ConditionView;
    /** Sums over the ecosystem's partners and the dead letters the gateway holds. */
    delivered: number;
    buffered: number;
    deadLetters: number;
  };
  /** "ready/total" from the Ecosystem's status. */
  modulesReady?: string;
  /** Core, servicing, front-office; by name within a tier. */
  modules: ModuleView[];
  partners: PartnerView[];
  routes: RouteView[];
}

export const tiers = ["core", "servicing", "front-office"] as const;
export type Tier = (typeof tiers)[number];

interface WithConditions {
  status?: {
    conditions?: {
      type: string;
      status: "True" | "False" | "Unknown";
      reason: string;
      message: string;
    }[];
  };
}

function conditionOf(object: WithConditions, type: string): ConditionView | undefined {
  const found = object.status?.conditions?.find((c) => c.type === type);
  return found && { type, status: found.status, reason: found.reason, message: found.message };
}

/** Ready, with its message only when it is not True: a healthy row stays short. */
function readinessOf(object: WithConditions): Readiness {
  const ready = conditionOf(object, "Ready");
  if (!ready) return { status: "Unknown", reason: "-", message: "no status yet" };
  return {
    status: ready.status,
    reason: ready.reason,
    message: ready.status === "True" ? "" : ready.message,
  };
}

/** What names an ecosystem: a module, a partner or a route. */
interface NamesEcosystem {
  metadata: { name: string; namespace?: string };
  spec: { ecosystemRef: { name: string } };
}

const keyOf = (namespace: string | undefined, name: string) => `${namespace ?? ""}/${name}`;
const namedKey = (o: NamesEcosystem) => keyOf(o.metadata.namespace, o.spec.ecosystemRef.name);

/** Every ecosystem the objects name, by namespace then name. */
export function ecosystemViews(objects: EcosystemObjects): EcosystemView[] {
  const keys = new Set([
    ...objects.ecosystems.map((e) => keyOf(e.metadata.namespace, e.metadata.name)),
    ...objects.modules.map(namedKey),
    ...objects.partners.map(namedKey),
    ...objects.routes.map(namedKey),
  ]);
  return [...keys].sort().map((key) => {
    const mine = <T extends NamesEcosystem>(list: T[]) =>
      list
        .filter((o) => namedKey(o) === key)
        .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    const slash = key.indexOf("/");
    return ecosystemView(
      key.slice(0, slash),
      key.slice(slash + 1),
      objects.ecosystems.find((e) => keyOf(e.metadata.namespace, e.metadata.name) === key),
      mine(objects.modules),
      mine(objects.partners),
      mine(objects.routes),
    );
  });
}

function ecosystemView(
  namespace: string,
  name: string,
  ecosystem: Ecosystem | undefined,
  modules: EcosystemModule[],
  partners: PartnerIntegration[],
  routes: BusRoute[],
): EcosystemView {
  const partnerViews = partners.map(partnerView);
  const sum = (pick: (p: PartnerView) => number) => partnerViews.reduce((n, p) => n + pick(p), 0);
  return {
    namespace,
    name,
    found: ecosystem !== undefined,
    ready: ecosystem
      ? readinessOf(ecosystem)
      : {
          status: "False",
          reason: "NotFound",
          message: `${modules.length + partners.length + routes.length} object(s) name it`,
        },
    buses: ecosystem && {
      internal: {
        type: ecosystem.spec.internalBus.type,
        component: ecosystem.status?.internalBusComponent,
      },
      corporate: {
        type: ecosystem.spec.corporateBus.type,
        component: ecosystem.status?.corporateBusComponent,
      },
      configured: conditionOf(ecosystem, "BusesConfigured"),
    },
    gateway: {
      appId: ecosystem?.status?.gatewayAppId ?? gatewayName(name),
      available: ecosystem && conditionOf(ecosystem, "GatewayAvailable"),
      delivered: sum((p) => p.delivered),
      buffered: sum((p) => p.buffered),
      deadLetters: (ecosystem?.status?.deadLetters ?? []).reduce((n, d) => n + d.count, 0),
    },
    modulesReady: ecosystem?.status?.modulesReady,
    modules: modules
      .map(moduleView)
      .sort((a, b) => tiers.indexOf(a.tier as Tier) - tiers.indexOf(b.tier as Tier)),
    partners: partnerViews,
    routes: routes.map((r) => ({
      name: r.metadata.name,
      topic: r.spec.topic,
      direction: r.spec.direction,
      ready: readinessOf(r),
      deadLetters: r.status?.deadLetters ?? 0,
    })),
  };
}

function moduleView(m: EcosystemModule): ModuleView {
  return {
    name: m.metadata.name,
    tier: m.spec.tier,
    type: m.spec.type,
    replicas: m.status?.replicasReady ?? `?/${m.spec.replicas}`,
    ready: readinessOf(m),
    deadLetters: m.status?.deadLetters ?? 0,
  };
}

function partnerView(p: PartnerIntegration): PartnerView {
  const d = p.status?.delivery;
  return {
    name: p.metadata.name,
    category: p.spec.category,
    direction: p.spec.direction,
    ready: readinessOf(p),
    delivered: d?.delivered ?? 0,
    retrying: d?.retrying ?? 0,
    buffered: d?.buffered ?? 0,
    deadLettered: d?.deadLettered ?? 0,
    lastError: d?.lastError ?? "",
  };
}

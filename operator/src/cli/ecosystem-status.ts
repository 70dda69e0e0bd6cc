import type { BusRoute } from "../api/bus-route.types.js";
import type { EcosystemModule } from "../api/ecosystem-module.types.js";
import type { Ecosystem } from "../api/ecosystem.types.js";
import type { PartnerIntegration } from "../api/partner-integration.types.js";
import { gatewayName } from "@symbiont/contracts";
import { renderTable } from "./render-table.js";

// `kubectl symbiont status`: one screen per ecosystem, from the API server alone: the buses
// and the gateway, modules by tier, partners with their delivery counts, routes; what is not
// Ready says why.

export interface EcosystemObjects {
  ecosystems: Ecosystem[];
  modules: EcosystemModule[];
  partners: PartnerIntegration[];
  routes: BusRoute[];
}

type WithConditions = {
  status?: { conditions?: { type: string; status: string; reason: string; message: string }[] };
};

const condition = (object: WithConditions, type: string) =>
  object.status?.conditions?.find((c) => c.type === type);
const readyOf = (object: WithConditions) => condition(object, "Ready")?.status ?? "Unknown";
const reasonOf = (object: WithConditions) => condition(object, "Ready")?.reason ?? "-";
/** The message only where something is wrong: a healthy row stays short. */
const whyNot = (object: WithConditions) =>
  readyOf(object) === "True" ? "" : (condition(object, "Ready")?.message ?? "no status yet");

const tiers = ["core", "servicing", "front-office"];

export function renderEcosystemStatus(objects: EcosystemObjects, namespace: string): string {
  const names = new Set([
    ...objects.ecosystems.map((e) => e.metadata.name),
    ...objects.modules.map((m) => m.spec.ecosystemRef.name),
    ...objects.partners.map((p) => p.spec.ecosystemRef.name),
    ...objects.routes.map((r) => r.spec.ecosystemRef.name),
  ]);
  if (names.size === 0) return `No ecosystem in namespace ${namespace}.`;
  return [...names]
    .sort()
    .map((name) => renderOne(name, objects, namespace))
    .join("\n\n");
}

function renderOne(name: string, objects: EcosystemObjects, namespace: string): string {
  const ecosystem = objects.ecosystems.find((e) => e.metadata.name === name);
  const mine = <T extends { spec: { ecosystemRef: { name: string } } }>(list: T[]) =>
    list
      .filter((o) => o.spec.ecosystemRef.name === name)
      .sort((a, b) =>
        (a as unknown as { metadata: { name: string } }).metadata.name.localeCompare(
          (b as unknown as { metadata: { name: string } }).metadata.name,
        ),
      );
  const modules = mine(objects.modules);
  const partners = mine(objects.partners);
  const routes = mine(objects.routes);
  const lines: string[] = [];
  if (!ecosystem) {
    lines.push(
      `Ecosystem ${name} (namespace ${namespace}): NOT FOUND; ${modules.length + partners.length + routes.length} object(s) name it`,
    );
  } else {
    const ready = readyOf(ecosystem);
    lines.push(
      `Ecosystem ${name} (namespace ${namespace}): Ready ${ready} (${reasonOf(ecosystem)})${ready === "True" ? "" : `: ${whyNot(ecosystem)}`}`,
    );
    const buses = condition(ecosystem, "BusesConfigured");
    const gateway = condition(ecosystem, "GatewayAvailable");
    lines.push(
      `  buses:   internal ${ecosystem.spec.internalBus.type}, corporate ${ecosystem.spec.corporateBus.type}` +
        (buses ? ` (BusesConfigured ${buses.status}: ${buses.reason})` : ""),
      `  gateway: ${ecosystem.status?.gatewayAppId ?? gatewayName(name)}` +
        (gateway ? ` (GatewayAvailable ${gateway.status}: ${gateway.message})` : ""),
      `  modules: ${ecosystem.status?.modulesReady ?? "?"} Ready`,
    );
  }
  if (modules.length) {
    lines.push("", "MODULES");
    const byTier = [...modules].sort(
      (a, b) => tiers.indexOf(a.spec.tier) - tiers.indexOf(b.spec.tier),
    );
    lines.push(
      renderTable(
        ["TIER", "NAME", "TYPE", "REPLICAS", "READY", "REASON", "MESSAGE"],
        byTier.map((m) => [
          m.spec.tier,
          m.metadata.name,
          m.spec.type,
          m.status?.replicasReady ?? `?/${m.spec.replicas}`,
          readyOf(m),
          reasonOf(m),
          whyNot(m),
        ]),
      ),
    );
  }
  if (partners.length) {
    lines.push("", "PARTNERS");
    lines.push(
      renderTable(
        [
          "NAME",
          "CATEGORY",
          "READY",
          "REASON",
          "DELIVERED",
          "RETRYING",
          "BUFFERED",
          "DEAD",
          "LAST ERROR",
        ],
        partners.map((p) => {
          const d = p.status?.delivery;
          return [
            p.metadata.name,
            p.spec.category,
            readyOf(p),
            reasonOf(p),
            d?.delivered ?? 0,
            d?.retrying ?? 0,
            d?.buffered ?? 0,
            d?.deadLettered ?? 0,
            d?.lastError ?? "",
          ];
        }),
      ),
    );
  }
  if (routes.length) {
    lines.push("", "ROUTES");
    lines.push(
      renderTable(
        ["NAME", "TOPIC", "DIRECTION", "READY", "REASON", "MESSAGE"],
        routes.map((r) => [
          r.metadata.name,
          r.spec.topic,
          r.spec.direction,
          readyOf(r),
          reasonOf(r),
          whyNot(r),
        ]),
      ),
    );
  }
  return lines.join("\n");
}

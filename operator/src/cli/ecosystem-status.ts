import {
  ecosystemViews,
  type EcosystemObjects,
  type EcosystemView,
} from "../topology/ecosystem-view.js";
import { renderTable } from "./render-table.js";

// `kubectl symbiont status`: one screen per ecosystem, from the API server alone: the buses
// and the gateway, modules by tier, partners with their delivery counts, routes; what is not
// Ready says why. The same view as the operator's topology page (topology/ecosystem-view.ts).

export type { EcosystemObjects };

export function renderEcosystemStatus(objects: EcosystemObjects, namespace: string): string {
  const views = ecosystemViews(objects);
  if (views.length === 0) return `No ecosystem in namespace ${namespace}.`;
  return views.map((view) => renderOne(view, view.namespace || namespace)).join("\n\n");
}

function renderOne(view: EcosystemView, namespace: string): string {
  const lines: string[] = [];
  const { ready } = view;
  if (!view.found) {
    lines.push(`Ecosystem ${view.name} (namespace ${namespace}): NOT FOUND; ${ready.message}`);
  } else {
    lines.push(
      `Ecosystem ${view.name} (namespace ${namespace}): Ready ${ready.status} (${ready.reason})${ready.status === "True" ? "" : `: ${ready.message}`}`,
    );
    const buses = view.buses?.configured;
    const gateway = view.gateway.available;
    lines.push(
      `  buses:   internal ${view.buses?.internal.type}, corporate ${view.buses?.corporate.type}` +
        (buses ? ` (BusesConfigured ${buses.status}: ${buses.reason})` : ""),
      `  gateway: ${view.gateway.appId}` +
        (gateway ? ` (GatewayAvailable ${gateway.status}: ${gateway.message})` : ""),
      `  modules: ${view.modulesReady ?? "?"} Ready`,
    );
  }
  if (view.modules.length) {
    lines.push("", "MODULES");
    lines.push(
      renderTable(
        ["TIER", "NAME", "TYPE", "REPLICAS", "READY", "REASON", "MESSAGE"],
        view.modules.map((m) => [
          m.tier,
          m.name,
          m.type,
          m.replicas,
          m.ready.status,
          m.ready.reason,
          m.ready.message,
        ]),
      ),
    );
  }
  if (view.partners.length) {
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
        view.partners.map((p) => [
          p.name,
          p.category,
          p.ready.status,
          p.ready.reason,
          p.delivered,
          p.retrying,
          p.buffered,
          p.deadLettered,
          p.lastError,
        ]),
      ),
    );
  }
  if (view.routes.length) {
    lines.push("", "ROUTES");
    lines.push(
      renderTable(
        ["NAME", "TOPIC", "DIRECTION", "READY", "REASON", "MESSAGE"],
        view.routes.map((r) => [
          r.name,
          r.topic,
          r.direction,
          r.ready.status,
          r.ready.reason,
          r.ready.message,
        ]),
      ),
    );
  }
  return lines.join("\n");
}

import { html, page, type Html } from "@symbiont/pages";
import { liveScript, topologyStyle } from "./topology-assets.js";
import type {
  ConditionView,
  EcosystemView,
  ModuleView,
  PartnerView,
  Readiness,
  Tier,
} from "./ecosystem-view.js";

// The topology page: each ecosystem as a map read left to right, the internal side (core
// modules), the boundary (internal bus, gateway, corporate bus) and the corporate side
// (servicing and front-office modules, partners), with the counts the gateway writes and,
// for what is not Ready, the reason and message. The live part is one fragment that the
// server sends again over Server-Sent Events whenever the operator's caches change.

export interface TopologyPageOptions {
  /** What the operator watches: "namespace shop" or "all namespaces". */
  scope: string;
}

const tierTitles: Record<Tier, string> = {
  core: "Core",
  servicing: "Servicing",
  "front-office": "Front office",
};

export function topologyPage(views: EcosystemView[], options: TopologyPageOptions): string {
  return page({
    title: "Topology",
    site: "Symbiont operator",
    style: topologyStyle,
    script: liveScript,
    body: html`<h1>Ecosystem topology</h1>
      <p class="muted">
        Watching ${options.scope}. Read-only: what <code>kubectl get</code> shows of the Ecosystems,
        EcosystemModules, PartnerIntegrations and BusRoutes.
      </p>
      <p id="live" class="muted" role="status" aria-live="polite">${summaryOf(views)}</p>
      <div id="topology">${topologyFragment(views)}</div>`,
  });
}

/** One line for the live region: short, so a screen reader is not flooded on every change. */
export function summaryOf(views: EcosystemView[]): string {
  const modules = views.flatMap((v) => v.modules);
  const notReady = [...views, ...modules].filter((o) => o.ready.status !== "True").length;
  return `${views.length} ecosystem(s), ${modules.length} module(s); ${notReady} not Ready.`;
}

/** The part of the page that live updates replace. */
export function topologyFragment(views: EcosystemView[]): Html {
  if (views.length === 0)
    return html`<p class="notice">
      No ecosystem yet: apply an Ecosystem and its modules (samples/) and they appear here.
    </p>`;
  return html`${views.map(ecosystemSection)}`;
}

function ecosystemSection(view: EcosystemView): Html {
  const id = `${view.namespace}-${view.name}`;
  const byTier = (tier: string) => view.modules.filter((m) => m.tier === tier);
  return html`<section class="ecosystem" aria-labelledby="${id}">
    <h2 id="${id}">
      Ecosystem ${view.name} <span class="muted">in ${view.namespace}</span>
      ${badge(view.ready)}
    </h2>
    ${why(view.ready)} ${view.modulesReady ? html`<p>Modules Ready: ${view.modulesReady}</p>` : ""}
    <div class="map">
      ${tierCard(id, "core", byTier("core"))}
      <section class="card boundary" aria-labelledby="${id}-boundary">
        <h3 id="${id}-boundary">Buses and gateway</h3>
        ${boundary(view)}
      </section>
      ${tierCard(id, "servicing", byTier("servicing"))}
      ${tierCard(id, "front-office", byTier("front-office"))}
      <section class="card" aria-labelledby="${id}-partners">
        <h3 id="${id}-partners">Partners</h3>
        ${
          view.partners.length
            ? html`<ul class="items">
                ${view.partners.map(partnerItem)}
              </ul>`
            : html`<p class="muted">None.</p>`
        }
      </section>
    </div>
    ${view.routes.length ? routesTable(id, view) : ""}
  </section>`;
}

function tierCard(id: string, tier: Tier, modules: ModuleView[]): Html {
  return html`<section class="card" aria-labelledby="${id}-${tier}">
    <h3 id="${id}-${tier}">${tierTitles[tier]} tier</h3>
    ${
      modules.length
        ? html`<ul class="items">
            ${modules.map(moduleItem)}
          </ul>`
        : html`<p class="muted">No module.</p>`
    }
  </section>`;
}

function moduleItem(m: ModuleView): Html {
  return html`<li class="${stateClass(m.ready)}">
    <p class="name">${m.name}</p>
    <p class="muted">${m.type}, ${m.replicas} replicas</p>
    ${badge(m.ready)} ${why(m.ready)} ${counts([["Dead letters", m.deadLetters]])}
  </li>`;
}

function partnerItem(p: PartnerView): Html {
  return html`<li class="${stateClass(p.ready)}">
    <p class="name">${p.name}</p>
    <p class="muted">${p.category}, ${p.direction}</p>
    ${badge(p.ready)} ${why(p.ready)}
    ${counts([
      ["Delivered", p.delivered],
      ["Retrying", p.retrying],
      ["Buffered", p.buffered],
      ["Dead", p.deadLettered],
    ])}
    ${p.lastError ? html`<p class="muted">Last error: ${p.lastError}</p>` : ""}
  </li>`;
}

function boundary(view: EcosystemView): Html {
  const { buses, gateway } = view;
  if (!buses) return html`<p class="error">The Ecosystem does not exist.</p>`;
  return html`<dl class="facts">
      <dt>Internal bus</dt>
      <dd>
        ${buses.internal.type}${buses.internal.component ? `, ${buses.internal.component}` : ""}
      </dd>
      <dt>Gateway</dt>
      <dd>${gateway.appId}</dd>
      <dt>Corporate bus</dt>
      <dd>
        ${buses.corporate.type}${buses.corporate.component ? `, ${buses.corporate.component}` : ""}
      </dd>
    </dl>
    ${conditionLine(buses.configured)} ${conditionLine(gateway.available)}
    ${counts([
      ["Delivered", gateway.delivered],
      ["Buffered", gateway.buffered],
      ["Dead letters", gateway.deadLetters],
    ])}`;
}

function routesTable(id: string, view: EcosystemView): Html {
  return html`<section aria-labelledby="${id}-routes">
    <h3 id="${id}-routes">Routes across the boundary</h3>
    <div class="scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">Route</th>
            <th scope="col">Topic</th>
            <th scope="col">Direction</th>
            <th scope="col">Ready</th>
            <th scope="col">Dead letters</th>
          </tr>
        </thead>
        <tbody>
          ${view.routes.map(
            (r) =>
              html`<tr>
                <td>${r.name}</td>
                <td>${r.topic}</td>
                <td>${r.direction}</td>
                <td>${badge(r.ready)} ${why(r.ready)}</td>
                <td>${r.deadLetters}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </section>`;
}

const stateClass = (ready: Readiness) =>
  ready.status === "True" ? "ok" : ready.status === "False" ? "bad" : "unknown";

/** The state in words (never by colour alone) with its reason. */
function badge(ready: Readiness): Html {
  const words =
    ready.status === "True" ? "Ready" : ready.status === "False" ? "Not ready" : "Unknown";
  return html`<span class="badge ${stateClass(ready)}"
    >${words}${ready.status === "True" || ready.reason === "-" ? "" : `: ${ready.reason}`}</span
  >`;
}

function why(ready: Readiness): Html | string {
  return ready.message ? html`<p class="why">${ready.message}</p>` : "";
}

/** A condition as `kubectl describe` puts it: type, status and reason; the message when not True. */
function conditionLine(condition: ConditionView | undefined): Html | string {
  if (!condition) return "";
  return html`<p>
    ${condition.type}:
    <span class="badge ${stateClass(condition)}">${condition.status} (${condition.reason})</span>
    ${condition.status === "True" ? "" : html`<span class="why">${condition.message}</span>`}
  </p>`;
}

function counts(entries: Array<[string, number]>): Html {
  return html`<dl class="counts">
    ${entries.map(
      ([label, value]) =>
        html`<div>
          <dt>${label}</dt>
          <dd>${value}</dd>
        </div>`,
    )}
  </dl>`;
}

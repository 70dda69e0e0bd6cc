import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { GatewayCounters } from "./domain/gateway-context.js";
import type { Ledger } from "./domain/ledger.js";
import type { LedgerEntry, LedgerState } from "./domain/ledger-entry.js";
import type { PartnerDispatcher } from "./domain/partner-dispatcher.js";

// Prometheus metrics: messages by bus/topic/outcome, ledger transitions, dead letters,
// and gauges of every partner's backlog and circuit, computed when scraped.

export interface GatewayMetrics {
  readonly registry: Registry;
  readonly counters: GatewayCounters;
  /** One group commit of `records` ledger records took `seconds`. */
  observeFlush(records: number, seconds: number): void;
  /** One publish to a bus took `seconds`. */
  observePublish(pubsub: string, seconds: number): void;
  /** One delivery attempt to a partner ended with `outcome` after `seconds`. */
  observeDelivery(partner: string, outcome: string, seconds: number): void;
  /** A route whose schema did not compile: it carries nothing until it is fixed. */
  skipRoute(route: string): void;
  watch(ledger: Ledger, dispatchers: ReadonlyMap<string, PartnerDispatcher>): void;
}

export function createMetrics(): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const received = new Counter({
    name: "symbiont_gateway_messages_total",
    help: "Messages taken from a bus, by bus, topic and outcome",
    labelNames: ["pubsub", "topic", "outcome"],
    registers: [registry],
  });
  const bulk = new Histogram({
    name: "symbiont_gateway_bulk_delivery_entries",
    help: "Messages per bulk delivery from the sidecar (Dapr bulk subscribe)",
    labelNames: ["topic"],
    buckets: [1, 2, 5, 10, 20, 50, 100],
    registers: [registry],
  });
  const inbound = new Counter({
    name: "symbiont_gateway_inbound_total",
    help: "Partner webhook requests, by partner and outcome",
    labelNames: ["partner", "outcome"],
    registers: [registry],
  });
  const transitions = new Counter({
    name: "symbiont_gateway_ledger_transitions_total",
    help: "Ledger entries entering a state, by kind and state",
    labelNames: ["kind", "state"],
    registers: [registry],
  });
  const deadLetters = new Counter({
    name: "symbiont_gateway_dead_letters_total",
    help: "Messages that became dead letters, by kind and target",
    labelNames: ["kind", "target"],
    registers: [registry],
  });
  const flushSeconds = new Histogram({
    name: "symbiont_gateway_ledger_flush_seconds",
    help: "Duration of one durable ledger write (a group commit)",
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  const flushRecords = new Histogram({
    name: "symbiont_gateway_ledger_flush_records",
    help: "Records written by one group commit",
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
    registers: [registry],
  });
  const publishSeconds = new Histogram({
    name: "symbiont_gateway_publish_seconds",
    help: "Duration of one publish through the sidecar, by bus",
    labelNames: ["pubsub"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  const deliverySeconds = new Histogram({
    name: "symbiont_gateway_partner_delivery_seconds",
    help: "Duration of one delivery attempt to a partner (through its Dapr binding), by partner and outcome",
    labelNames: ["partner", "outcome"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  // A gateway that carries messages holds the ledger (a standby reports 0: replicas/standby.ts).
  new Gauge({
    name: "symbiont_gateway_active",
    help: "1 on the replica that holds the gateway's Lease (the ledger's writer), 0 on a standby",
    registers: [registry],
  }).set(1);
  const skippedRoutes = new Gauge({
    name: "symbiont_gateway_routes_skipped",
    help: "1 for each route the gateway skipped at start because its schema does not compile",
    labelNames: ["route"],
    registers: [registry],
  });
  return {
    registry,
    skipRoute: (route) => skippedRoutes.set({ route }, 1),
    observeFlush(records, seconds) {
      flushSeconds.observe(seconds);
      flushRecords.observe(records);
    },
    observePublish: (pubsub, seconds) => publishSeconds.observe({ pubsub }, seconds),
    observeDelivery: (partner, outcome, seconds) =>
      deliverySeconds.observe({ partner, outcome }, seconds),
    counters: {
      received: (pubsub, topic, outcome) => received.inc({ pubsub, topic, outcome }),
      inbound: (partner, outcome) => inbound.inc({ partner, outcome }),
      bulkDelivery: (topic, entries) => bulk.observe({ topic }, entries),
    },
    watch(ledger, dispatchers) {
      const onState = (entry: LedgerEntry) => {
        transitions.inc({ kind: entry.kind, state: entry.state });
        if (entry.state === "dead-lettered")
          deadLetters.inc({ kind: entry.kind, target: entry.target });
      };
      ledger.on("accepted", onState);
      ledger.on("changed", onState);
      new Gauge({
        name: "symbiont_gateway_partner_backlog",
        help: "Pending messages per partner and state",
        labelNames: ["partner", "state"],
        registers: [registry],
        collect() {
          const counts = new Map<string, Record<string, number>>();
          for (const name of dispatchers.keys())
            counts.set(name, { accepted: 0, retrying: 0, buffered: 0 });
          for (const entry of ledger.entries()) {
            const perState = counts.get(entry.target);
            if (entry.kind === "partner" && perState && isBacklog(entry.state))
              perState[entry.state] = (perState[entry.state] ?? 0) + 1;
          }
          for (const [partner, perState] of counts)
            for (const [state, value] of Object.entries(perState))
              this.set({ partner, state }, value);
        },
      });
      new Gauge({
        name: "symbiont_gateway_partner_throttled",
        help: "Times a delivery waited for the partner's rateLimit since the gateway started",
        labelNames: ["partner"],
        registers: [registry],
        collect() {
          for (const [partner, dispatcher] of dispatchers)
            this.set({ partner }, dispatcher.throttled);
        },
      });
      new Gauge({
        name: "symbiont_gateway_partner_circuit_open",
        help: "1 while the partner's circuit is open",
        labelNames: ["partner"],
        registers: [registry],
        collect() {
          for (const [partner, dispatcher] of dispatchers)
            this.set({ partner }, dispatcher.circuit.state === "open" ? 1 : 0);
        },
      });
    },
  };
}

function isBacklog(state: LedgerState): state is "accepted" | "retrying" | "buffered" {
  return state === "accepted" || state === "retrying" || state === "buffered";
}

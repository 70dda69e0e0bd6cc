import { gatewayName } from "@symbiont/contracts";
import { parseGatewayFile, type GatewayFileInputText } from "./test-file.js";
import type { Bus } from "../events/dapr-bus.js";
import type { OutgoingCloudEvent } from "../events/cloud-event.js";
import type { GatewayContext } from "../domain/gateway-context.js";
import { Ledger } from "../domain/ledger.js";
import { PartnerDispatcher } from "../domain/partner-dispatcher.js";
import { RouteTable } from "../domain/route-table.js";
import { SchemaValidator } from "../domain/schema-validator.js";
import { ArrayRecordStore } from "./array-record-store.js";

/** What a unit test's bus was asked to publish. */
export interface Published {
  pubsub: string;
  topic: string;
  event: OutgoingCloudEvent;
}

/**
 * The gateway's use cases wired as start-gateway wires them, over a ledger in an array and a
 * bus that records what it publishes (no sidecar: the integration tests use a real one).
 */
export function testContext(input: GatewayFileInputText): {
  context: GatewayContext;
  store: ArrayRecordStore;
  published: Published[];
  /** Set `down` to make every publish fail, as a broker that is down does. */
  broker: { down: boolean };
} {
  const file = parseGatewayFile(input);
  const store = new ArrayRecordStore();
  const published: Published[] = [];
  const broker = { down: false };
  const bus: Bus = {
    async publish(pubsub, topic, event) {
      if (broker.down) throw new Error(`publish to ${pubsub}/${topic} failed: connection refused`);
      published.push({ pubsub, topic, event });
    },
    async invokeBinding() {
      throw new Error("unit tests deliver through a PartnerDispatcher's own send function");
    },
    ready: async () => undefined,
    close: async () => undefined,
  };
  const ledger = new Ledger(store);
  // Dispatchers as the gateway builds them, not started: tests that deliver start their own.
  const quiet = { info: () => undefined, warn: () => undefined };
  const dispatchers = new Map(
    file.partners
      .filter((partner) => partner.direction !== "inbound")
      .map((partner) => [
        partner.name,
        new PartnerDispatcher(partner, ledger, async () => ({ kind: "delivered" }), quiet),
      ]),
  );
  const context: GatewayContext = {
    file,
    appId: gatewayName(file.ecosystem),
    routes: new RouteTable(file),
    validator: new SchemaValidator(),
    ledger,
    bus,
    dispatchers,
    inboundPublishing: new Map(),
    dropsReplaying: new Map(),
    signingKey: undefined,
    partnerSecrets: new Map(),
    partnerPreviousSecrets: new Map(),
    counters: {
      received: () => undefined,
      inbound: () => undefined,
      bulkDelivery: () => undefined,
    },
  };
  return { context, store, published, broker };
}

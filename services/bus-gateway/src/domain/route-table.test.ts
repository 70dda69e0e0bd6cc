import { describe, expect, it } from "vitest";
import { parseGatewayFile } from "../config.js";
import { RouteTable } from "./route-table.js";

const file = parseGatewayFile(
  JSON.stringify({
    ecosystem: "acme",
    namespace: "shop",
    internalPubsub: "acme-internal-bus",
    corporatePubsub: "acme-corporate-bus",
    delivery: {
      maxAttempts: 3,
      backoffInitialMs: 100,
      backoffMaxMs: 1000,
      bufferTtlMs: 60000,
      deadLetter: true,
    },
    routes: [
      {
        name: "orders-out",
        topic: "order.created",
        direction: "export",
        schema: { type: "object" },
      },
      { name: "status-in", topic: "sms.status", direction: "import" },
    ],
    partners: [
      {
        name: "sms",
        category: "messaging",
        direction: "both",
        binding: "b1",
        consumes: ["order.created", "notification.sms"],
        produces: ["sms.status"],
        delivery: { maxAttempts: 3, backoffInitialMs: 100, backoffMaxMs: 1000, bufferTtlMs: 60000 },
      },
      {
        name: "sso",
        category: "sso",
        direction: "inbound",
        binding: "b2",
        consumes: ["ignored"],
        produces: ["sso.login"],
        delivery: { maxAttempts: 3, backoffInitialMs: 100, backoffMaxMs: 1000, bufferTtlMs: 60000 },
      },
    ],
  }),
);

describe("the route table", () => {
  const table = new RouteTable(file);

  it("when the operator renders Subscriptions, then each topic has one with the gateway's own dead-letter topic and one for that dead-letter topic, routed to its dead letters, without", () => {
    expect(table.subscriptions()).toEqual([
      {
        pubsub: "acme-internal-bus",
        topic: "order.created",
        route: "/events/order.created",
        deadLetterTopic: "order.created.acme-bus-gateway.deadletter",
      },
      {
        pubsub: "acme-internal-bus",
        topic: "order.created.acme-bus-gateway.deadletter",
        route: "/deadletters/acme-bus-gateway/order.created",
      },
      {
        pubsub: "acme-corporate-bus",
        topic: "sms.status",
        route: "/events/sms.status",
        deadLetterTopic: "sms.status.acme-bus-gateway.deadletter",
      },
      {
        pubsub: "acme-corporate-bus",
        topic: "sms.status.acme-bus-gateway.deadletter",
        route: "/deadletters/acme-bus-gateway/sms.status",
      },
      {
        pubsub: "acme-corporate-bus",
        topic: "order.created",
        route: "/events/order.created",
        deadLetterTopic: "order.created.acme-bus-gateway.deadletter",
      },
      {
        pubsub: "acme-corporate-bus",
        topic: "order.created.acme-bus-gateway.deadletter",
        route: "/deadletters/acme-bus-gateway/order.created",
      },
      {
        pubsub: "acme-corporate-bus",
        topic: "notification.sms",
        route: "/events/notification.sms",
        deadLetterTopic: "notification.sms.acme-bus-gateway.deadletter",
      },
      {
        pubsub: "acme-corporate-bus",
        topic: "notification.sms.acme-bus-gateway.deadletter",
        route: "/deadletters/acme-bus-gateway/notification.sms",
      },
    ]);
  });

  it.each([
    ["acme-internal-bus", "order.created", true],
    ["acme-internal-bus", "notification.sms", false],
    ["acme-corporate-bus", "notification.sms", true],
    ["acme-corporate-bus", "sms.status", true],
    ["acme-corporate-bus", "ignored", false],
    ["other-bus", "order.created", false],
  ])(
    "when a message comes from %s on %s, then the gateway takes it: %s",
    (pubsub, topic, expected) => {
      expect(table.handles(pubsub, topic)).toBe(expected);
    },
  );

  it("when a topic has a route with a schema, then that schema applies to it in either direction", () => {
    expect(table.schemaRouteFor("order.created")?.name).toBe("orders-out");
    expect(table.schemaRouteFor("sms.status")).toBeUndefined();
  });
});

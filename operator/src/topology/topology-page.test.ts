import { describe, expect, it } from "vitest";
import { aModule, aPartner, aRoute, anEcosystem } from "../testing/fixtures.js";
import { ecosystemViews, type EcosystemObjects } from "./ecosystem-view.js";
import { summaryOf, topologyFragment, topologyPage } from "./topology-page.js";

const condition = (status: "True" | "False", reason: string, message: string, type = "Ready") => ({
  type,
  status,
  reason,
  message,
  lastTransitionTime: "2026-01-01T00:00:00Z",
});

const objects: EcosystemObjects = {
  ecosystems: [
    {
      ...anEcosystem(),
      status: {
        conditions: [
          condition("True", "Ready", "ok"),
          condition("True", "Rendered", "both rendered", "BusesConfigured"),
          condition("False", "Progressing", "0/1 replicas available", "GatewayAvailable"),
        ],
        modulesReady: "2/3",
        gatewayAppId: "acme-bus-gateway",
        internalBusComponent: "acme-internal",
        corporateBusComponent: "acme-corporate",
        deadLetters: [{ kind: "partner", target: "sms", topic: "notification.sms", count: 2 }],
      },
    },
  ],
  modules: [
    {
      ...aModule("site", { tier: "front-office", type: "site" }),
      status: { conditions: [condition("True", "Ready", "1/1")], replicasReady: "1/1" },
    },
    {
      ...aModule("crm", { type: "crm" }),
      status: {
        conditions: [condition("False", "ImagePullFailed", "pod crm-1 cannot pull <image>")],
      },
    },
    {
      ...aModule("processes", { tier: "servicing", type: "processes" }),
      status: { conditions: [condition("True", "Ready", "1/1")], deadLetters: 4 },
    },
  ],
  partners: [
    {
      ...aPartner("sms"),
      status: {
        conditions: [condition("True", "Delivering", "ok")],
        delivery: {
          delivered: 5,
          retrying: 1,
          buffered: 3,
          deadLettered: 2,
          lastError: "HTTP 500",
        },
      },
    },
  ],
  routes: [aRoute("customers-out")],
};

const count = (label: string, value: number) =>
  new RegExp(`<dt>${label}</dt>\\s*<dd>${value}</dd>`);

/** The HTML of one section, from its heading's id to the section's end (flat enough here). */
const sectionOf = (text: string, id: string) => {
  const start = text.indexOf(`aria-labelledby="${id}"`);
  expect(start, id).toBeGreaterThan(-1);
  return text.slice(start, text.indexOf("</section>", start));
};

describe("the topology page", () => {
  const text = topologyPage(ecosystemViews(objects), { scope: "namespace shop" });

  it("then it is one accessible page: a language, one h1, an h2 per ecosystem, an h3 per tier", () => {
    expect(text).toMatch(/^<!doctype html><html lang="en">/);
    expect(text.match(/<h1[ >]/g)).toHaveLength(1);
    expect(text).toMatch(/<h2 id="shop-acme">\s*Ecosystem acme/);
    for (const heading of ["Core tier", "Servicing tier", "Front office tier", "Partners"])
      expect(text).toContain(`>${heading}</h3>`);
    expect(text).toContain('role="status" aria-live="polite"');
  });

  it("then each tier lists its own modules", () => {
    expect(sectionOf(text, "shop-acme-core")).toContain(">crm</p>");
    expect(sectionOf(text, "shop-acme-servicing")).toContain(">processes</p>");
    expect(sectionOf(text, "shop-acme-front-office")).toContain(">site</p>");
    expect(sectionOf(text, "shop-acme-core")).not.toContain(">site</p>");
  });

  it("when a module is not Ready, then it shows the reason and the message, escaped", () => {
    const core = sectionOf(text, "shop-acme-core");
    expect(core).toContain("Not ready: ImagePullFailed");
    expect(core).toContain("pod crm-1 cannot pull &#60;image&#62;");
    expect(text).not.toContain("<image>");
    // A Ready module has no message.
    expect(sectionOf(text, "shop-acme-front-office")).not.toContain('class="why"');
  });

  it("then the gateway and the partners show delivered, buffered and dead counts", () => {
    const boundary = sectionOf(text, "shop-acme-boundary");
    expect(boundary).toMatch(count("Delivered", 5));
    expect(boundary).toMatch(count("Buffered", 3));
    expect(boundary).toMatch(count("Dead letters", 2));
    expect(boundary).toContain("GatewayAvailable");
    expect(boundary).toContain("0/1 replicas available");
    const partners = sectionOf(text, "shop-acme-partners");
    expect(partners).toMatch(count("Retrying", 1));
    expect(partners).toContain("Last error: HTTP 500");
    expect(sectionOf(text, "shop-acme-servicing")).toMatch(count("Dead letters", 4));
  });

  it("then a route without status says it has none yet", () => {
    expect(sectionOf(text, "shop-acme-routes")).toContain("no status yet");
  });

  it("then the live region summarises what is not Ready in one line", () => {
    expect(summaryOf(ecosystemViews(objects))).toBe("1 ecosystem(s), 3 module(s); 1 not Ready.");
  });

  it("when there is no ecosystem, then it says how to get one", () => {
    expect(topologyFragment([]).text).toContain("No ecosystem yet");
  });

  it("then the page loads no script or style from elsewhere", () => {
    expect(text).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet/);
  });
});

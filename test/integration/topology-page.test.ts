import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { chromiumPath } from "../../dev/harness/chromium.js";
import { applyManifests } from "../../dev/harness/apply-manifests.js";
import { repoRoot } from "../../dev/harness/tool-paths.js";
import { startOperatorProcess, type OperatorProcess } from "../../dev/stack/operator-process.js";
import { KubeClient } from "../../operator/src/kube/kube-client.js";
import type { KubeObject } from "../../operator/src/kube/kube-object.js";
import { fieldManager as gatewayFieldManager } from "../../services/bus-gateway/src/kube/status-reporter.js";
import { checkAccessibility } from "../support/page-audit.js";
import { createTestNamespace, eventually, testKubeConfig } from "../support/kube.js";

// The operator's topology page in a real browser (headless Debian chromium driven by
// playwright-core), served by the real operator process from its caches of the real API
// server: the modules by tier, the buses, the gateway and a partner with the counts the bus
// gateway writes; a module whose pod cannot pull its image turns "Not ready" with its reason
// on the open page, without a reload. The screenshot goes to docs/screenshots/topology.png.

type Obj = KubeObject & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const kc = testKubeConfig();
const client = new KubeClient(kc);
const api = "symbiont.dev/v1alpha1";
let namespace: string;
let operator: OperatorProcess;
let browser: Browser;
let page: Page;

const emod = (name: string, tier: string, type: string) => ({
  apiVersion: api,
  kind: "EcosystemModule",
  metadata: { name },
  spec: {
    ecosystemRef: { name: "acme" },
    tier,
    type,
    image: `ghcr.io/symbiont-dev/${name}:0.1.0`,
  },
});
const apply = (...objects: object[]) =>
  applyManifests(kc, objects as KubeObject[], "test-user", namespace);
const readyOf = (object: Obj | undefined) =>
  object?.status?.conditions?.find((c: { type: string }) => c.type === "Ready")?.reason;
const untilModuleReason = (name: string, reason: string) =>
  eventually(
    () => client.get<Obj>({ apiVersion: api, kind: "EcosystemModule", namespace, name }),
    (m) => readyOf(m) === reason,
    { what: `module ${name} Ready reason ${reason}` },
  );
const region = (name: string) => page.getByRole("region", { name, exact: true });
const item = (regionName: string, name: string) =>
  region(regionName)
    .getByRole("listitem")
    .filter({ has: page.getByText(name, { exact: true }) });
const count = (within: Locator, label: string) =>
  within
    .locator(".counts div")
    .filter({ has: page.getByText(label, { exact: true }) })
    .locator("dd");

/** Waits until the open page's `locator` reads as `expected` (it changes by itself, live). */
const until = (locator: Locator, expected: string | RegExp, timeoutMs = 60_000) =>
  eventually(
    () => locator.innerText({ timeout: 2_000 }),
    (text) => (typeof expected === "string" ? text.trim() === expected : expected.test(text)),
    { what: `${locator} reads ${expected}`, timeoutMs },
  );

beforeAll(async () => {
  namespace = await createTestNamespace(kc, "topology");
  operator = await startOperatorProcess({
    kubeconfigPath: inject("kubeconfigPath"),
    namespace,
    dir: join(inject("controlPlaneDir"), `operator-${namespace}`),
  });
  await apply(
    {
      apiVersion: api,
      kind: "Ecosystem",
      metadata: { name: "acme" },
      spec: {
        internalBus: {
          type: "redis",
          connection: { secretRef: { name: "redis-connection-secret" } },
        },
        corporateBus: {
          type: "rabbitmq",
          connection: { secretRef: { name: "rabbit-connection-secret" } },
        },
      },
    },
    {
      ...emod("crm", "core", "crm"),
      spec: { ...emod("crm", "core", "crm").spec, publishes: [{ topic: "customer.created" }] },
    },
    emod("mdm", "core", "mdm"),
    emod("notifications", "servicing", "custom"),
    emod("site", "front-office", "site"),
    {
      apiVersion: api,
      kind: "PartnerIntegration",
      metadata: { name: "sms" },
      spec: {
        ecosystemRef: { name: "acme" },
        category: "messaging",
        direction: "outbound",
        endpoint: "https://sms.example.com/hooks",
        consumes: ["notification.sms"],
      },
    },
    {
      apiVersion: api,
      kind: "BusRoute",
      metadata: { name: "customers-out" },
      spec: {
        ecosystemRef: { name: "acme" },
        topic: "customer.created",
        direction: "export",
        schema: { type: "object", required: ["id"] },
      },
    },
  );
  browser = await chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox"] });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(60_000);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await operator?.stop();
  client.close();
});

describe("the topology page", () => {
  it("when an ecosystem's modules run, then the page shows them by tier, with the buses, the gateway and the partner", async () => {
    await page.goto(operator.topologyUrl);
    await until(page.getByRole("heading", { level: 1 }), "Ecosystem topology");
    await until(page.getByRole("heading", { level: 2 }), /Ecosystem acme/);
    // What the operator writes arrives on the open page: every module Ready, in its tier.
    const tiers = {
      "Core tier": ["crm", "mdm"],
      "Servicing tier": ["notifications"],
      "Front office tier": ["site"],
    };
    for (const [tier, names] of Object.entries(tiers)) {
      for (const name of names) await until(item(tier, name).locator(".badge"), "Ready", 120_000);
      expect(await region(tier).getByRole("listitem").count()).toBe(names.length);
    }
    const boundary = await region("Buses and gateway").innerText();
    for (const shown of ["Internal bus", "redis", "Corporate bus", "rabbitmq", "acme-bus-gateway"])
      expect(boundary).toContain(shown);
    await until(item("Partners", "sms").locator(".name"), "sms");
    const route = region("Routes across the boundary").locator("tbody tr");
    await until(route.locator("td").nth(1), "customer.created");
    await until(route.locator(".badge"), "Ready");
  });

  it("when the bus gateway writes delivery counts and a module's pod cannot pull its image, then the open page shows both without a reload", async () => {
    // A mark that a reload would wipe.
    await page.evaluate("window.notReloaded = true");

    // Delivery counts as the bus gateway writes them (server-side apply under its own name).
    await client.apply(
      {
        apiVersion: api,
        kind: "PartnerIntegration",
        metadata: { name: "sms", namespace },
        status: {
          delivery: {
            delivered: 42,
            retrying: 1,
            buffered: 3,
            deadLettered: 2,
            lastError: "HTTP 503 from the partner",
          },
        },
      } as KubeObject,
      { fieldManager: gatewayFieldManager, subresource: "status" },
    );
    await client.apply(
      {
        apiVersion: api,
        kind: "Ecosystem",
        metadata: { name: "acme", namespace },
        status: {
          deadLetters: [{ kind: "partner", target: "sms", topic: "notification.sms", count: 2 }],
        },
      } as KubeObject,
      { fieldManager: gatewayFieldManager, subresource: "status" },
    );
    const sms = item("Partners", "sms");
    await until(count(sms, "Delivered"), "42");
    await until(sms, /Last error: HTTP 503 from the partner/);
    await until(count(region("Buses and gateway"), "Buffered"), "3");
    await until(count(region("Buses and gateway"), "Dead letters"), "2");

    // What a kubelet reports for a tag the registry does not have.
    await untilModuleReason("crm", "Ready");
    const [pod] = (
      await client.list<Obj>(
        { apiVersion: "v1", kind: "Pod" },
        { namespace, labelSelector: "symbiont.dev/module=crm" },
      )
    ).items.filter((p) => !p.metadata.deletionTimestamp);
    expect(pod).toBeDefined();
    await client.patch(
      { apiVersion: "v1", kind: "Pod", namespace, name: pod!.metadata.name },
      {
        status: {
          conditions: [{ type: "Ready", status: "False", reason: "ContainersNotReady" }],
          containerStatuses: [
            {
              name: "module",
              image: "ghcr.io/symbiont-dev/crm:0.1.0",
              imageID: "",
              ready: false,
              restartCount: 0,
              state: {
                waiting: {
                  reason: "ErrImagePull",
                  message:
                    'failed to pull and unpack image "ghcr.io/symbiont-dev/crm:0.1.0": not found',
                },
              },
            },
          ],
        },
      },
      "application/merge-patch+json",
      "status",
    );
    const crm = item("Core tier", "crm");
    await until(crm.locator(".badge"), "Not ready: ImagePullFailed");
    expect(await crm.innerText()).toContain(
      `pod ${pod!.metadata.name} cannot pull image ghcr.io/symbiont-dev/crm:0.1.0`,
    );
    // The other core module is untouched; the live region counts what is not Ready.
    expect(await item("Core tier", "mdm").locator(".badge").innerText()).toBe("Ready");
    await until(page.getByRole("status"), /; [1-9]\d* not Ready\.$/);
    expect(await page.evaluate("window.notReloaded")).toBe(true);

    const screenshots = join(repoRoot, "docs", "screenshots");
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, "topology.png"), fullPage: true });
  });

  it("then it is accessible: one h1, headings for the ecosystem and each tier, labelled regions, readable contrast", async () => {
    await checkAccessibility(page);
    const headings = await page.locator("h2, h3").allTextContents();
    expect(headings.map((h) => h.replace(/\s+/g, " ").trim())).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Ecosystem acme in topology-/),
        "Core tier",
        "Buses and gateway",
        "Servicing tier",
        "Front office tier",
        "Partners",
        "Routes across the boundary",
      ]),
    );
    // Every count is a term with its value, never a bare number; the table has column headers.
    const terms = await page.locator(".counts dt").allTextContents();
    expect(new Set(terms)).toEqual(
      new Set(["Delivered", "Retrying", "Buffered", "Dead", "Dead letters"]),
    );
    expect(await page.locator("th[scope=col]").allTextContents()).toEqual([
      "Route",
      "Topic",
      "Direction",
      "Ready",
      "Dead letters",
    ]);
  });

  it("then the page shows no Secret reference nor the partner's endpoint", async () => {
    const text = await page.content();
    for (const hidden of ["redis-connection-secret", "rabbit-connection-secret", "sms.example.com"])
      expect(text).not.toContain(hidden);
  });
});

import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ecosystem } from "../../operator/src/api/ecosystem.types.js";
import type { EcosystemModule } from "../../operator/src/api/ecosystem-module.types.js";
import { desiredDaprConfiguration } from "../../operator/src/controllers/ecosystem/desired-buses.js";
import { moduleDaprConfiguration } from "../../operator/src/controllers/module/desired-children.js";
import { startDaprd, type Daprd } from "../../dev/harness/daprd.js";
import { writeDaprResources } from "../../dev/local-runner/dapr-resources.js";
import { withCrdDefaults } from "../../dev/render/crd-defaults.js";
import type { DaprObject } from "../../dev/render/self-hosted.js";
import { startEventApp, type EventApp } from "../../dev/stack/event-app.js";
import { uniqueEcosystem } from "../../dev/stack/gateway-stack.js";

// A1: no module calls another directly; data moves only over the buses. The operator's Dapr
// Configuration denies service invocation (accessControl defaultAction deny), so a
// front-office sidecar's invoke of CRM is refused by CRM's own real daprd and CRM's app never
// sees it. A sidecar without that Configuration (the control) is reached by the same call,
// so the refusal is the policy's, not the network's.

describe("service invocation between modules", () => {
  const dir = mkdtempSync(join(tmpdir(), "invoke-"));
  const eco = uniqueEcosystem("iv");
  const ecosystem = withCrdDefaults<Ecosystem>({
    apiVersion: "symbiont.dev/v1alpha1",
    kind: "Ecosystem",
    metadata: { name: eco, namespace: "shop" },
    spec: {
      internalBus: { type: "in-memory" },
      corporateBus: { type: "in-memory" },
      security: { mtls: false, networkPolicies: false },
    },
  });
  const module = (name: string, acceptsInvocationFrom?: string[]) =>
    withCrdDefaults<EcosystemModule>({
      apiVersion: "symbiont.dev/v1alpha1",
      kind: "EcosystemModule",
      metadata: { name, namespace: "shop" },
      spec: {
        ecosystemRef: { name: eco },
        tier: "core",
        type: "crm",
        image: "ghcr.io/symbiont-dev/crm:dev",
        ...(acceptsInvocationFrom ? { acceptsInvocationFrom } : {}),
      },
    });
  const crmId = `${eco}-crm`;
  const filesId = `${eco}-files`;
  const controlId = `${eco}-control`;
  const siteId = `${eco}-site`;
  const calls: string[] = [];
  let app: EventApp;
  let crm: Daprd;
  let files: Daprd;
  let control: Daprd;
  let site: Daprd;

  const sidecar = async (appId: string, config: DaprObject | undefined) => {
    const folder = join(dir, appId);
    const resources = writeDaprResources(folder, appId, config?.metadata.name, {
      components: [],
      subscriptions: [],
      resiliencies: [],
      configurations: config ? [config] : [],
      secrets: new Map(),
    });
    return startDaprd({
      appId,
      appPort: app.port,
      resourcesDir: resources.resourcesDir,
      configFile: resources.configFile,
      dir,
    });
  };
  const invoke = (target: string) =>
    fetch(`${site.url}/v1.0/invoke/${target}/method/customers/c-1`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "ann@example.com" }),
    });

  beforeAll(async () => {
    app = await startEventApp((path) => {
      calls.push(path);
      return "{}";
    });
    crm = await sidecar(crmId, desiredDaprConfiguration(ecosystem) as DaprObject);
    files = await sidecar(
      filesId,
      moduleDaprConfiguration(module(filesId, [siteId]), ecosystem) as DaprObject,
    );
    control = await sidecar(controlId, undefined);
    mkdirSync(join(dir, siteId), { recursive: true });
    site = await startDaprd({ appId: siteId, resourcesDir: join(dir, siteId), dir });
  });

  afterAll(async () => {
    for (const daprd of [site, control, files, crm]) await daprd?.stop();
    await app?.close();
    if (!process.env.SYMBIONT_KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
  });

  it("when a front-office sidecar invokes CRM, then CRM's sidecar refuses it and CRM's app sees nothing; a sidecar without the policy is reached", async () => {
    const reached = await invoke(controlId);
    expect(reached.status).toBe(200);
    expect(calls).toEqual(["/customers/c-1"]);
    const refused = await invoke(crmId);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toMatch(/access control policy has denied access to id: /);
    expect(calls).toEqual(["/customers/c-1"]);
  });

  it("when a module names a caller in acceptsInvocationFrom but there is no mTLS identity, then the call is still refused", async () => {
    const refused = await invoke(filesId);
    expect(refused.status).toBe(403);
    expect(calls).toEqual(["/customers/c-1"]);
  });
});

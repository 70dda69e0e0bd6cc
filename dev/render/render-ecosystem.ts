import type { GatewayFileInput } from "@symbiont/contracts";
import type { BusRoute } from "../../operator/src/api/bus-route.types.js";
import type { EcosystemModule } from "../../operator/src/api/ecosystem-module.types.js";
import type { Ecosystem } from "../../operator/src/api/ecosystem.types.js";
import type { PartnerIntegration } from "../../operator/src/api/partner-integration.types.js";
import { desiredEcosystemChildren } from "../../operator/src/controllers/ecosystem/desired-children.js";
import { gatewayInputs } from "../../operator/src/controllers/ecosystem/gateway-inputs.js";
import { defaultGatewayImage } from "../../operator/src/controllers/ecosystem/desired-gateway.js";
import { desiredModuleChildren } from "../../operator/src/controllers/module/desired-children.js";
import { desiredPartnerChildren } from "../../operator/src/controllers/partner/desired-children.js";
import {
  routeVerdicts,
  validRoutes,
} from "../../operator/src/controllers/shared/route-verdicts.js";
import type { KubeObject } from "../../operator/src/kube/kube-object.js";
import { withCrdDefaults } from "./crd-defaults.js";
import type { DaprObject } from "./self-hosted.js";

// An ecosystem's resources (as `kubectl apply` would send them) rendered by the operator's
// own pure functions, as its reconciles would in a cluster, without one: for components/
// (make generate) and for tests that run the samples on real daprd sidecars.

export interface RenderedEcosystem {
  ecosystem: Ecosystem;
  modules: EcosystemModule[];
  /** Secrets by name: their stringData. */
  secrets: Map<string, Record<string, string>>;
  /** Components (buses, partner bindings), Resiliencies, the Configuration, Subscriptions. */
  dapr: DaprObject[];
  /** The gateway's configuration file, as its ConfigMap holds it. */
  gatewayFile: GatewayFileInput;
  /** The gateway container's environment (values and secretKeyRefs). */
  gatewayEnv: { name: string; value?: string; valueFrom?: { secretKeyRef: SecretKeyRef } }[];
  /** Each BusRoute's Ready condition. */
  routes: Map<string, { status: string; reason: string; message: string }>;
}

interface SecretKeyRef {
  name: string;
  key: string;
}

const daprKinds = new Set(["Component", "Resiliency", "Configuration", "Subscription"]);

export function renderEcosystem(
  objects: readonly KubeObject[],
  namespace: string,
): RenderedEcosystem {
  const stored = objects.map((object) =>
    withCrdDefaults<KubeObject & Record<string, unknown>>({
      ...object,
      metadata: { ...object.metadata, namespace },
    }),
  );
  const ofKind = <T>(kind: string) => stored.filter((o) => o.kind === kind) as unknown as T[];
  const [ecosystem, ...others] = ofKind<Ecosystem>("Ecosystem");
  if (!ecosystem || others.length > 0)
    throw new Error("exactly one Ecosystem is rendered at a time");
  const named = <T extends { spec: { ecosystemRef: { name: string } } }>(list: T[]) =>
    list.filter((o) => o.spec.ecosystemRef.name === ecosystem.metadata.name);
  const modules = named(ofKind<EcosystemModule>("EcosystemModule"));
  const partners = named(ofKind<PartnerIntegration>("PartnerIntegration"));
  const context = { ecosystem, routes: named(ofKind<BusRoute>("BusRoute")), modules, partners };
  const children = desiredEcosystemChildren(ecosystem, {
    modules,
    ...gatewayInputs(ecosystem, validRoutes(context), partners),
    gatewayImage: defaultGatewayImage(),
  });
  const dapr = [
    ...children,
    ...modules.flatMap((module) => desiredModuleChildren(module, ecosystem)),
    ...partners.flatMap((partner) => desiredPartnerChildren(partner, ecosystem)),
  ].filter((object) => daprKinds.has(object.kind)) as DaprObject[];
  const configMap = children.find((c) => c.kind === "ConfigMap") as
    (KubeObject & { data: Record<string, string> }) | undefined;
  const deployment = children.find((c) => c.kind === "Deployment") as
    | (KubeObject & {
        spec: { template: { spec: { containers: { env: RenderedEcosystem["gatewayEnv"] }[] } } };
      })
    | undefined;
  const secrets = new Map(
    ofKind<KubeObject & { stringData?: Record<string, string> }>("Secret").map((s) => [
      s.metadata.name,
      s.stringData ?? {},
    ]),
  );
  return {
    ecosystem,
    modules,
    secrets,
    dapr,
    gatewayFile: JSON.parse(configMap!.data["config.json"]!) as GatewayFileInput,
    gatewayEnv: deployment!.spec.template.spec.containers[0]!.env,
    routes: routeVerdicts(context),
  };
}

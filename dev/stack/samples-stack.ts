import { join } from "node:path";
import { appTokenEnv } from "@symbiont/contracts";
import type { KubeObject } from "../../operator/src/kube/kube-object.js";
import { readManifests } from "../harness/apply-manifests.js";
import { repoRoot } from "../harness/tool-paths.js";
import { renderEcosystem, type RenderedEcosystem } from "../render/render-ecosystem.js";
import { selfHosted, withSecretValues, writeResourceFiles } from "../render/self-hosted.js";

// The samples' ecosystem on this machine, rendered by the operator's own functions: both
// buses on a test's own Redis (one database each), outbound partners at local URLs, plus
// whatever resources a test adds (an extra module). What it renders is written as one
// resources folder that every sidecar of the test reads (their scopes pick their share).

export interface SamplesOptions {
  redisPort: number;
  /** Partner name -> the URL its binding posts to. */
  partnerUrl: (partner: string) => string;
  /** More resources applied with the samples. */
  extra?: KubeObject[];
}

export function localSamples(options: SamplesOptions): KubeObject[] {
  const redis = { redisHost: `127.0.0.1:${options.redisPort}`, redisPassword: "" };
  const bus = (redisDB: string) => ({
    type: "redis",
    connection: { secretRef: { name: redisDB === "0" ? "internal-bus" : "corporate-bus" } },
    // The two buses never share streams; a crashed consumer's messages come back quickly.
    settings: { redisDB, redeliverInterval: "1s", processingTimeout: "4s" },
  });
  return [...readManifests(join(repoRoot, "samples")), ...(options.extra ?? [])].map((object) => {
    const copy = structuredClone(object) as KubeObject & {
      stringData?: Record<string, string>;
      spec?: Record<string, unknown>;
    };
    if (copy.kind === "Secret" && ["internal-bus", "corporate-bus"].includes(copy.metadata.name))
      copy.stringData = redis;
    if (copy.kind === "Ecosystem" && copy.spec) {
      copy.spec.internalBus = bus("0");
      copy.spec.corporateBus = bus("1");
    }
    if (copy.kind === "PartnerIntegration" && copy.spec?.endpoint) {
      copy.spec.endpoint = options.partnerUrl(copy.metadata.name);
      copy.spec.allowPlainHttp = true; // the local partner simulator
    }
    return copy;
  });
}

/** Renders the local samples; writes `<dir>/resources` (a file per object) for every sidecar. */
export function writeSamplesResources(
  dir: string,
  options: SamplesOptions,
): { resourcesDir: string; rendered: RenderedEcosystem } {
  const rendered = renderEcosystem(localSamples(options), "default");
  const resourcesDir = join(dir, "resources");
  writeResourceFiles(
    resourcesDir,
    rendered.dapr
      .filter((object) => object.kind !== "Configuration")
      .map((object) => selfHosted(withSecretValues(object, rendered.secrets))),
  );
  return { resourcesDir, rendered };
}

/** The gateway's environment variables that come from Secrets (signing and partner keys). */
export function gatewaySecretEnv(rendered: RenderedEcosystem): Record<string, string> {
  return Object.fromEntries(
    rendered.gatewayEnv
      // The ledger's URL and the sidecar's app token are the stack's own (the operator
      // generates the token's Secret in a cluster; the samples do not hold it).
      .filter(
        (e) => e.valueFrom?.secretKeyRef && e.name !== "DATABASE_URL" && e.name !== appTokenEnv,
      )
      .map((e) => {
        const ref = e.valueFrom!.secretKeyRef;
        return [e.name, rendered.secrets.get(ref.name)?.[ref.key] ?? ""];
      }),
  );
}

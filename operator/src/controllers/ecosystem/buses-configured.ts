import type { Ecosystem } from "../../api/ecosystem.types.js";
import { gatewayName } from "@symbiont/contracts";
import type { ConditionInput } from "@symbiont/contracts";

// BusesConfigured tells whether the buses work, not only whether their Components were
// rendered: the bus gateway reads its Dapr sidecar's metadata API (/v1.0/metadata) and writes
// what it has loaded into status.gatewaySidecar. daprd exits when a component fails to
// initialise (and Kubernetes restarts it, so a broker that comes back heals it): the gateway
// then finds its sidecar silent. A sidecar that answers without a component the gateway needs
// started before the Component existed, or was told to ignore its errors.

export function busesConfigured(ecosystem: Ecosystem, rendered: string): ConditionInput {
  const type = "BusesConfigured";
  const sidecar = ecosystem.status?.gatewaySidecar;
  const gateway = gatewayName(ecosystem.metadata.name);
  const logs = `kubectl logs deploy/${gateway} -c daprd`;
  const missing = sidecar?.missingComponents ?? [];
  if (sidecar && !sidecar.reachable) {
    const needed = sidecar.neededComponents ?? [];
    return {
      type,
      status: "False",
      reason: "SidecarUnavailable",
      message:
        `the bus gateway's Dapr sidecar does not answer: daprd exits when a component fails to initialise` +
        (needed.length ? ` (it loads ${needed.join(", ")})` : "") +
        `; \`${logs} --previous\` names the component and the error (a broker that does not answer, a wrong connection Secret)`,
    };
  }
  if (missing.length > 0) {
    return {
      type,
      status: "False",
      reason: "ComponentLoadFailed",
      message:
        `the bus gateway's Dapr sidecar has not loaded component(s) ${missing.join(", ")}: ` +
        `Dapr could not initialise them or they were created after the sidecar started; ` +
        `\`${logs}\` says why, and \`kubectl rollout restart deploy/${gateway}\` loads them again`,
    };
  }
  return {
    type,
    status: "True",
    reason: sidecar ? "ComponentsLoaded" : "ComponentsRendered",
    message: sidecar
      ? `${rendered}; the bus gateway's sidecar has loaded its ${sidecar.neededComponents?.length ?? 0} component(s)`
      : rendered,
  };
}

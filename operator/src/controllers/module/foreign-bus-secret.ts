import type { EcosystemModule } from "../../api/ecosystem-module.types.js";
import type { Ecosystem } from "../../api/ecosystem.types.js";
import { busOf } from "../shared/module-bus.js";

// A3: a module connects only to its own bus. Scopes keep the other bus's Component away from
// its sidecar, but a module that reads the other bus's connection Secret (in env or storage)
// could dial that broker itself: a core pod with the corporate bus's credentials, or a site
// with the internal bus's. Refused before anything is rendered (the CRD cannot see the
// Ecosystem's Secrets, so this check is the operator's).

/** Why the module may not run as specified, or undefined. */
export function foreignBusSecret(
  module: EcosystemModule,
  ecosystem: Ecosystem,
): string | undefined {
  const own = busOf(module);
  const other = own === "internal" ? "corporate" : "internal";
  const secret = (other === "internal" ? ecosystem.spec.internalBus : ecosystem.spec.corporateBus)
    .connection?.secretRef.name;
  if (!secret) return undefined;
  const fields = [
    ...(module.spec.env ?? []).flatMap((entry, index) =>
      entry.valueFrom?.secretKeyRef?.name === secret ? [`spec.env[${index}] (${entry.name})`] : [],
    ),
    ...(module.spec.storage?.secretRef.name === secret ? ["spec.storage.secretRef"] : []),
  ];
  if (fields.length === 0) return undefined;
  return `${fields.join(", ")} reads Secret ${secret}, the ${other} bus's connection: a ${module.spec.tier} module connects only to the ${own} bus; remove the reference`;
}

import { join } from "node:path";
import {
  corporateBusName,
  internalBusName,
  partnerBindingName,
  type GatewayFile,
} from "@symbiont/contracts";
import type { EcosystemModule } from "../../operator/src/api/ecosystem-module.types.js";
import type { Ecosystem } from "../../operator/src/api/ecosystem.types.js";
import type { PartnerIntegration } from "../../operator/src/api/partner-integration.types.js";
import {
  desiredBusComponents,
  desiredResiliencies,
} from "../../operator/src/controllers/ecosystem/desired-buses.js";
import { desiredGatewaySubscriptions } from "../../operator/src/controllers/ecosystem/desired-gateway-subscriptions.js";
import { desiredModuleChildren } from "../../operator/src/controllers/module/desired-children.js";
import { desiredPartnerChildren } from "../../operator/src/controllers/partner/desired-children.js";
import { withCrdDefaults } from "../render/crd-defaults.js";
import {
  selfHosted,
  withSecretValues,
  writeResourceFiles,
  type DaprObject,
} from "../render/self-hosted.js";

// The Dapr resources of a gateway test stack, rendered by the operator's own functions from
// an Ecosystem and PartnerIntegrations that say what the gateway file says: both buses on the
// stack's Redis (one database each, tight redelivery) or on its RabbitMQ node (one vhost each,
// the operator's settings as a user gets them), the gateway's Resiliency and
// Subscriptions, a binding per partner. Test publishers are admitted to a bus by its scopes
// only: they are not modules, so they get no per-topic publishing list.

export interface StackOptions {
  dir: string;
  /** Both buses on this Redis (databases 0 and 1); or give `rabbitMq`. */
  redisPort?: number;
  /** Both buses on RabbitMQ: the AMQP URL of each bus (separate vhosts), in place of Redis. */
  rabbitMq?: { internalUrl: string; corporateUrl: string };
  file: GatewayFile;
  /** app-ids allowed on each bus besides the gateway. */
  coreAppIds: string[];
  nonCoreAppIds: string[];
  /** Partner name -> URL its binding posts to. */
  partnerUrls: Record<string, string>;
  /**
   * Redis pub/sub consumer workers (1 keeps the publish order end to end). Unset: the
   * operator's own when delivery is not ordered (enough to fill a bulk delivery), else 10.
   */
  concurrency?: number;
  /**
   * The Ecosystem's delivery.ordered (default true, as the CRD defaults it). False: the
   * gateway's Subscriptions take bulk deliveries (gateway.bulkSubscribe).
   */
  ordered?: boolean;
  /**
   * Modules whose Subscriptions (with their dead-letter topics) the operator renders, and
   * whose dead letters the gateway is subscribed to. Their app-ids must be admitted above.
   */
  modules?: EcosystemModule[];
  /**
   * Partner name -> the binding's own timeout (a Go duration), when it should differ from the
   * partner's `delivery.timeoutMs` (the operator renders both from `binding.timeout`).
   */
  bindingTimeouts?: Record<string, string>;
}

const busSecret = "stack-bus";
const internalBusSecret = "stack-internal-bus";
const corporateBusSecret = "stack-corporate-bus";

/** Writes the objects to `<dir>/resources` (a file each); returns the folder. */
export function writeResources(options: StackOptions): string {
  const resources = join(options.dir, "resources");
  writeResourceFiles(resources, renderResources(options).map(selfHosted));
  return resources;
}

export function renderResources(options: StackOptions): DaprObject[] {
  const { file } = options;
  const modules = options.modules ?? [];
  const ecosystem = stackEcosystem(options);
  const eco = ecosystem.metadata.name;
  if (
    file.internalPubsub !== internalBusName(eco) ||
    file.corporatePubsub !== corporateBusName(eco)
  )
    throw new Error(
      `the stack's buses are named ${internalBusName(eco)} and ${corporateBusName(eco)}`,
    );
  const secrets = new Map<string, Record<string, string>>(
    options.rabbitMq
      ? [
          [internalBusSecret, { connectionString: options.rabbitMq.internalUrl }],
          [corporateBusSecret, { connectionString: options.rabbitMq.corporateUrl }],
        ]
      : [[busSecret, { redisHost: `127.0.0.1:${options.redisPort}`, redisPassword: "" }]],
  );
  const admitted: Record<string, string[]> = {
    [internalBusName(eco)]: options.coreAppIds,
    [corporateBusName(eco)]: options.nonCoreAppIds,
  };
  const gatewaySubscriptions = desiredGatewaySubscriptions(
    ecosystem,
    modules,
    file.routes,
    file.partners,
  );
  const buses = desiredBusComponents(ecosystem, [], gatewaySubscriptions).map((bus) => ({
    ...withSecretValues(bus, secrets),
    scopes: [...(bus.scopes ?? []), ...(admitted[bus.metadata.name] ?? [])],
  }));
  const bindings = file.partners.flatMap((partner) => {
    if (partner.binding !== partnerBindingName(eco, partner.name))
      throw new Error(
        `partner ${partner.name}: its binding is ${partnerBindingName(eco, partner.name)}`,
      );
    return desiredPartnerChildren(
      stackPartner(options, partner.name, partner.direction, partner.delivery.timeoutMs),
      ecosystem,
    );
  });
  return [
    ...desiredResiliencies(ecosystem, []),
    ...buses,
    ...bindings,
    ...gatewaySubscriptions,
    ...modules.flatMap((module) =>
      desiredModuleChildren(module, ecosystem).filter((child) => child.kind === "Subscription"),
    ),
  ] as DaprObject[];
}

/** A module of the stack's ecosystem, as the API server would default it. */
export function stackModule(
  file: GatewayFile,
  name: string,
  spec: Partial<EcosystemModule["spec"]> & Pick<EcosystemModule["spec"], "tier" | "type">,
): EcosystemModule {
  return withCrdDefaults<EcosystemModule>({
    apiVersion: "symbiont.dev/v1alpha1",
    kind: "EcosystemModule",
    metadata: { name, namespace: file.namespace },
    spec: { ecosystemRef: { name: file.ecosystem }, image: "example/module:1", ...spec },
  });
}

/** The Ecosystem the gateway file describes, with both buses on the stack's broker. */
function stackEcosystem({
  file,
  concurrency,
  redisPort,
  rabbitMq,
  ordered,
}: StackOptions): Ecosystem {
  if (redisPort === undefined && !rabbitMq)
    throw new Error("a gateway stack needs a broker: give redisPort or rabbitMq");
  const redisBus = (redisDB: string) => ({
    type: "redis" as const,
    connection: { secretRef: { name: busSecret } },
    // Fast redelivery of what a crashed consumer held; the two buses never share streams.
    settings: {
      redisDB,
      processingTimeout: "4s",
      redeliverInterval: "1s",
      ...(concurrency === undefined && ordered === false
        ? {}
        : { concurrency: String(concurrency ?? 10) }),
      enableTLS: "false",
    },
  });
  return withCrdDefaults<Ecosystem>({
    apiVersion: "symbiont.dev/v1alpha1",
    kind: "Ecosystem",
    metadata: { name: file.ecosystem, namespace: file.namespace },
    spec: {
      // RabbitMQ as a user declares it: the operator's durable settings, nothing overridden.
      internalBus: rabbitMq
        ? { type: "rabbitmq", connection: { secretRef: { name: internalBusSecret } } }
        : redisBus("0"),
      corporateBus: rabbitMq
        ? { type: "rabbitmq", connection: { secretRef: { name: corporateBusSecret } } }
        : redisBus("1"),
      delivery: {
        maxAttempts: file.delivery.maxAttempts,
        backoff: {
          initial: `${file.delivery.backoffInitialMs}ms`,
          max: `${file.delivery.backoffMaxMs}ms`,
        },
        bufferTTL: `${file.delivery.bufferTtlMs}ms`,
        deadLetter: file.delivery.deadLetter,
        ...(ordered === undefined ? {} : { ordered }),
      },
      security: { mtls: false, networkPolicies: false },
    },
  });
}

function stackPartner(
  options: StackOptions,
  name: string,
  direction: PartnerIntegration["spec"]["direction"],
  timeoutMs: number,
): PartnerIntegration {
  return withCrdDefaults<PartnerIntegration>({
    apiVersion: "symbiont.dev/v1alpha1",
    kind: "PartnerIntegration",
    metadata: { name, namespace: options.file.namespace },
    spec: {
      ecosystemRef: { name: options.file.ecosystem },
      direction,
      endpoint: options.partnerUrls[name] ?? "http://127.0.0.1:9",
      binding: { timeout: options.bindingTimeouts?.[name] ?? `${timeoutMs}ms` },
    },
  });
}

// The names the operator gives what it renders for an ecosystem and that the bus gateway and
// the modules find things by (docs/module-contract.md, docs/gateway-config.md): written once.

/** The internal bus's Dapr pub/sub Component (core modules and the gateway). */
export const internalBusName = (ecosystem: string) => `${ecosystem}-internal-bus`;
/** The corporate bus's Dapr pub/sub Component (everything else and the gateway). */
export const corporateBusName = (ecosystem: string) => `${ecosystem}-corporate-bus`;
/** The bus gateway's Dapr app-id, and its Deployment, Service, ServiceAccount and ConfigMap. */
export const gatewayName = (ecosystem: string) => `${ecosystem}-bus-gateway`;
/**
 * The Secret holding the token the gateway's Dapr sidecar presents on every call to it
 * (`dapr.io/app-token-secret`, header `dapr-api-token`): deliveries come only from the
 * sidecar. The operator generates it once per ecosystem; the gateway reads it from
 * `APP_API_TOKEN`, as daprd does.
 */
export const gatewayAppTokenSecretName = (ecosystem: string) =>
  `${gatewayName(ecosystem)}-app-token`;
/** The key of the token in that Secret (Dapr's convention). */
export const appTokenSecretKey = "token";
/** The environment variable daprd and the app read the token from. */
export const appTokenEnv = "APP_API_TOKEN";
/** The header daprd sends the token in. */
export const appTokenHeader = "dapr-api-token";
/** The Dapr output binding Component through which the gateway reaches one partner. */
export const partnerBindingName = (ecosystem: string, partner: string) =>
  `${ecosystem}-partner-${partner}`;

/** Every dead-letter topic ends so; a topic a module publishes or consumes never does. */
export const deadLetterSuffix = ".deadletter";
/**
 * What Dapr could not hand to `subscriber` (an app-id) on `topic` goes to
 * `<topic>.<subscriber>.deadletter`: one dead-letter topic per subscriber, so a module's dead
 * letter is never taken for another subscriber's (the gateway's own) redelivery.
 */
export const deadLetterTopicOf = (topic: string, subscriber: string) =>
  `${topic}.${subscriber}${deadLetterSuffix}`;
/**
 * The gateway's HTTP route for the dead letters of `subscriber` on `topic`: the route, not the
 * dead-letter topic's name, says whose they were (a module may name its own dead-letter topic).
 */
export const deadLetterRoute = (subscriber: string, topic: string) =>
  `/deadletters/${subscriber}/${topic}`;
/** The HTTP route Dapr delivers a topic to, unless a subscription names another. */
export const defaultRoute = (topic: string) => `/events/${topic}`;

/** The gateway's environment variable holding the ecosystem's signing key (from a Secret). */
export const signingKeyEnv = "SYMBIONT_SIGNING_KEY";

/** What a partner may be named (a DNS label; the PartnerIntegration CRD checks it too). */
export const partnerNamePattern = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The gateway's environment variable holding one partner's credential (from a Secret).
 * Injective over partner names: they hold only [a-z0-9-] and '-' is the only character
 * mapped to '_', so two partners never share a variable (nor one another's credential).
 */
export function partnerSecretEnv(partner: string): string {
  if (!partnerNamePattern.test(partner))
    throw new Error(
      `partner name ${JSON.stringify(partner)}: use lowercase letters, digits and '-', starting with a letter`,
    );
  return `SYMBIONT_PARTNER_${partner.toUpperCase().replace(/-/g, "_")}_SECRET`;
}

/**
 * The gateway's environment variable holding a partner's previous HMAC key while it is rotated.
 * Every current key's variable ends in `_SECRET`, every previous one in `_SECRET_PREVIOUS`, so
 * no partner's previous key lands in another's variable (`a` and `a-previous` stay apart).
 */
export function partnerPreviousSecretEnv(partner: string): string {
  return `${partnerSecretEnv(partner)}_PREVIOUS`;
}

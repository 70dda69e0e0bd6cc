import type { GatewayFileInput } from "@symbiont/contracts";
import { parseGatewayFile as parse, type GatewayFile } from "../config.js";

export type GatewayFileInputText = Partial<GatewayFileInput>;

/** A gateway file for unit tests: ecosystem acme, both buses, the given routes and partners. */
export function parseGatewayFile(input: GatewayFileInputText = {}): GatewayFile {
  const delivery = { maxAttempts: 3, backoffInitialMs: 10, backoffMaxMs: 100, bufferTtlMs: 60_000 };
  return parse(
    JSON.stringify({
      ecosystem: "acme",
      namespace: "shop",
      internalPubsub: "acme-internal-bus",
      corporatePubsub: "acme-corporate-bus",
      delivery: { ...delivery, deadLetter: true },
      ...input,
    }),
  );
}

/** A partner of the test file consuming `consumes`. */
export function testPartner(name: string, consumes: string[]) {
  return {
    name,
    category: "messaging" as const,
    direction: "outbound" as const,
    binding: `acme-partner-${name}`,
    consumes,
    delivery: { maxAttempts: 3, backoffInitialMs: 10, backoffMaxMs: 100, bufferTtlMs: 60_000 },
  };
}

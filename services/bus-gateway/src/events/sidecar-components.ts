import type { GatewayFile } from "@symbiont/contracts";

// What the gateway's Dapr sidecar has loaded, read from its metadata API (/v1.0/metadata
// lists the components daprd initialised). The gateway reports it into its Ecosystem's
// status.gatewaySidecar, and the operator folds it into BusesConfigured. A component that
// failed to initialise makes daprd exit (Kubernetes restarts it until the broker answers), so
// a silent sidecar is reported too, once it has been silent for `silentReports` reports in a
// row (a sidecar still starting is not a failure).

export interface SidecarReport {
  reachable: boolean;
  neededComponents: string[];
  missingComponents: string[];
}

/** The components the gateway cannot work without: both buses and its partners' bindings. */
export function neededComponents(file: GatewayFile): string[] {
  const bindings = file.partners
    .filter((partner) => partner.direction !== "inbound")
    .map((partner) => partner.binding);
  return [...new Set([file.internalPubsub, file.corporatePubsub, ...bindings])].sort();
}

/** The names of the components the sidecar has loaded; undefined when it does not answer. */
export async function loadedComponents(httpPort: number): Promise<string[] | undefined> {
  try {
    const answer = await fetch(`http://127.0.0.1:${httpPort}/v1.0/metadata`, {
      signal: AbortSignal.timeout(5_000),
    });
    if (!answer.ok) {
      await answer.arrayBuffer();
      return undefined;
    }
    const body = (await answer.json()) as { components?: { name?: unknown }[] };
    return (body.components ?? []).flatMap((c) => (typeof c.name === "string" ? [c.name] : []));
  } catch {
    return undefined;
  }
}

export class SidecarWatch {
  #silent = 0;

  constructor(
    private readonly needed: readonly string[],
    private readonly read: () => Promise<string[] | undefined>,
    private readonly silentReports = 3,
  ) {}

  /** The report to write, or undefined while a silent sidecar may still be starting. */
  async check(): Promise<SidecarReport | undefined> {
    const loaded = await this.read();
    const neededComponents = [...this.needed];
    if (!loaded) {
      this.#silent += 1;
      if (this.#silent < this.silentReports) return undefined;
      return { reachable: false, neededComponents, missingComponents: [] };
    }
    this.#silent = 0;
    const have = new Set(loaded);
    return {
      reachable: true,
      neededComponents,
      missingComponents: neededComponents.filter((name) => !have.has(name)),
    };
  }
}

import { randomBytes } from "node:crypto";
import {
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type CoreV1Event,
  type KubeConfig,
} from "@kubernetes/client-node";
import type { Condition } from "@symbiont/contracts";
import type { Ledger } from "../domain/ledger.js";
import type { LedgerEntry } from "../domain/ledger-entry.js";
import type { PartnerDispatcher } from "../domain/partner-dispatcher.js";
import { partnerStats } from "../domain/partner-stats.js";
import type { ReplayRequest } from "@symbiont/contracts";
import type { ReplayResult } from "../domain/dead-letters.js";
import type { SidecarReport, SidecarWatch } from "../events/sidecar-components.js";
import { deadLetterCounts, partnerRemovedCount } from "./ecosystem-dead-letters.js";
import { handleReplayRequest } from "./replay-requests.js";
import { deliveryStatus, partnerConditions, statusFingerprint } from "./partner-status.js";

// Reports each partner's delivery to its PartnerIntegration: status by server-side apply
// (field manager symbiont-bus-gateway) at most once per interval and only when it changed,
// and one aggregated Warning Event per partner for dead letters (its count grows; a storm
// of dead letters is one Event, not thousands). The dead letters by kind, target and topic
// go to its Ecosystem's status (status.deadLetters), for the operator to show on each BusRoute
// and module, with the dead letters of partners that are gone (status.partnerRemoved), and
// with what its Dapr sidecar has loaded (status.gatewaySidecar), for the operator's
// BusesConfigured. All in one apply: a field left out of an apply is removed.

export const fieldManager = "symbiont-bus-gateway";
const group = "symbiont.dev";
const version = "v1alpha1";
const plural = "partnerintegrations";
/** The key of the Ecosystem's last written dead letters among the partners' fingerprints. */
const ecosystemKey = "\u0000ecosystem";

interface PartnerObject {
  metadata?: { uid?: string; generation?: number };
  status?: { conditions?: Condition[] };
}

export interface ReporterLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export class StatusReporter {
  readonly #objects: CustomObjectsApi;
  readonly #core: CoreV1Api;
  readonly #written = new Map<string, string>();
  readonly #deadLetters = new Map<string, { count: number; lastError: string }>();
  readonly #events = new Map<string, { name: string; count: number; first: string }>();
  readonly #instance = randomBytes(4).toString("hex");
  #ecosystemWarned = false;
  #sidecarReport: SidecarReport | undefined;
  /** Replays wait for the sidecar (they publish and deliver through it). */
  #replayReady = false;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(
    kube: KubeConfig,
    private readonly namespace: string,
    private readonly ledger: Ledger,
    private readonly dispatchers: ReadonlyMap<string, PartnerDispatcher>,
    private readonly log: ReporterLog,
    private readonly intervalMs: number,
    /** The gateway's Ecosystem; without it, no dead-letter counts are reported there. */
    private readonly ecosystem?: string,
    /** Replays dead letters when the Ecosystem's replay annotation asks (replay-requests.ts). */
    private readonly replay?: (request: ReplayRequest) => Promise<ReplayResult[]>,
    /** What the gateway's sidecar has loaded (events/sidecar-components.ts). */
    private readonly sidecar?: SidecarWatch,
  ) {
    this.#objects = kube.makeApiClient(CustomObjectsApi);
    this.#core = kube.makeApiClient(CoreV1Api);
    const onEntry = (entry: LedgerEntry) => {
      if (entry.kind !== "partner" || entry.state !== "dead-lettered") return;
      const pending = this.#deadLetters.get(entry.target) ?? { count: 0, lastError: "" };
      this.#deadLetters.set(entry.target, {
        count: pending.count + 1,
        lastError: entry.lastError ?? "",
      });
    };
    ledger.on("accepted", onEntry);
    ledger.on("changed", onEntry);
  }

  start(): void {
    const tick = () => {
      this.#running = this.reportOnce()
        .catch((error: unknown) =>
          this.log.warn({ err: (error as Error).message }, "status report failed; will retry"),
        )
        .finally(() => {
          this.#timer = setTimeout(tick, this.intervalMs);
        });
    };
    this.#timer = setTimeout(tick, Math.min(1_000, this.intervalMs));
  }

  /** The sidecar answers: replay requests are handled from now on. */
  allowReplay(): void {
    this.#replayReady = true;
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    await this.#running;
    await this.reportOnce().catch(() => undefined);
  }

  async reportOnce(): Promise<void> {
    for (const [name, dispatcher] of this.dispatchers) {
      try {
        await this.#reportPartner(name, dispatcher);
      } catch (error) {
        const status = (error as { code?: number }).code;
        if (status === 404)
          this.log.warn(
            { partner: name },
            `PartnerIntegration ${this.namespace}/${name} not found; status not written`,
          );
        else throw error;
      }
    }
    if (this.ecosystem && this.replay && this.#replayReady)
      await this.#handleReplayRequest(this.ecosystem, this.replay);
    if (this.ecosystem && this.sidecar)
      this.#sidecarReport = (await this.sidecar.check()) ?? this.#sidecarReport;
    if (this.ecosystem) await this.#reportEcosystem(this.ecosystem);
  }

  async #handleReplayRequest(
    ecosystem: string,
    replay: (request: ReplayRequest) => Promise<ReplayResult[]>,
  ): Promise<void> {
    try {
      const done = await handleReplayRequest({
        objects: this.#objects,
        core: this.#core,
        namespace: this.namespace,
        ecosystem,
        replay,
        source: fieldManager,
      });
      if (done) this.log.info({ ecosystem }, done);
    } catch (error) {
      const code = (error as { code?: number }).code;
      if (code !== 404 && code !== 403) throw error;
      if (!this.#ecosystemWarned)
        this.log.warn({ ecosystem, code }, `replay annotation not read (HTTP ${code})`);
    }
  }

  async #reportEcosystem(ecosystem: string): Promise<void> {
    // One pass over the ledger per report; both counts read only its dead letters.
    const dead = [...this.ledger.entries()].filter((entry) => entry.state === "dead-lettered");
    const deadLetters = deadLetterCounts(dead);
    const gatewaySidecar = this.#sidecarReport;
    const partnerRemoved = partnerRemovedCount(dead);
    const fingerprint = JSON.stringify([deadLetters, partnerRemoved, gatewaySidecar]);
    if (this.#written.get(ecosystemKey) === fingerprint) return;
    try {
      await this.#objects.patchNamespacedCustomObjectStatus(
        {
          group,
          version,
          namespace: this.namespace,
          plural: "ecosystems",
          name: ecosystem,
          fieldManager,
          force: true,
          body: {
            apiVersion: `${group}/${version}`,
            kind: "Ecosystem",
            metadata: { name: ecosystem, namespace: this.namespace },
            status: { deadLetters, partnerRemoved, ...(gatewaySidecar ? { gatewaySidecar } : {}) },
          },
        },
        setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply),
      );
    } catch (error) {
      const code = (error as { code?: number }).code;
      if (code !== 404 && code !== 403) throw error;
      // Partners' status does not wait on this: a missing Ecosystem or permission is logged
      // once, and tried again at the next report.
      if (this.#ecosystemWarned) return;
      this.#ecosystemWarned = true;
      this.log.warn(
        { ecosystem, code },
        `dead-letter counts not written to Ecosystem ${this.namespace}/${ecosystem} (HTTP ${code})`,
      );
      return;
    }
    this.#written.set(ecosystemKey, fingerprint);
    this.#ecosystemWarned = false;
  }

  async #reportPartner(name: string, dispatcher: PartnerDispatcher): Promise<void> {
    const stats = partnerStats(this.ledger, name, dispatcher.circuit.state);
    const delivery = deliveryStatus(stats);
    const deadLetters = this.#deadLetters.get(name);
    const previousFingerprint = this.#written.get(name);
    // Cheap check first: only read the object when something may have changed.
    const draft = partnerConditions(stats, [], 0, new Date(0));
    if (previousFingerprint === statusFingerprint(delivery, draft) && !deadLetters) return;
    const object = (await this.#objects.getNamespacedCustomObject({
      group,
      version,
      namespace: this.namespace,
      plural,
      name,
    })) as PartnerObject;
    const conditions = partnerConditions(
      stats,
      object.status?.conditions ?? [],
      object.metadata?.generation ?? 0,
      new Date(),
    );
    if (previousFingerprint !== statusFingerprint(delivery, draft)) {
      await this.#objects.patchNamespacedCustomObjectStatus(
        {
          group,
          version,
          namespace: this.namespace,
          plural,
          name,
          fieldManager,
          force: true,
          body: {
            apiVersion: `${group}/${version}`,
            kind: "PartnerIntegration",
            metadata: { name, namespace: this.namespace },
            status: { delivery, conditions },
          },
        },
        setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply),
      );
      this.#written.set(name, statusFingerprint(delivery, draft));
    }
    if (deadLetters) {
      this.#deadLetters.delete(name);
      await this.#recordDeadLetters(name, object.metadata?.uid, deadLetters);
    }
  }

  async #recordDeadLetters(
    partner: string,
    uid: string | undefined,
    batch: { count: number; lastError: string },
  ): Promise<void> {
    const now = new Date();
    const message =
      `message(s) to partner ${partner} became dead letters (GET /v1/deadletters?partner=${partner}); last error: ${batch.lastError}`.slice(
        0,
        1024,
      );
    const known = this.#events.get(partner);
    if (known) {
      known.count += batch.count;
      await this.#core.patchNamespacedEvent(
        {
          name: known.name,
          namespace: this.namespace,
          body: { count: known.count, lastTimestamp: now.toISOString(), message },
        },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      );
      return;
    }
    const name = `${partner}.deadletters.${this.#instance}`;
    const event: CoreV1Event = {
      metadata: { name, namespace: this.namespace },
      involvedObject: {
        apiVersion: `${group}/${version}`,
        kind: "PartnerIntegration",
        name: partner,
        namespace: this.namespace,
        ...(uid ? { uid } : {}),
      },
      reason: "DeadLettered",
      type: "Warning",
      message,
      count: batch.count,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: fieldManager },
      reportingComponent: fieldManager,
      reportingInstance: this.#instance,
    };
    await this.#core.createNamespacedEvent({ namespace: this.namespace, body: event });
    this.#events.set(partner, { name, count: batch.count, first: now.toISOString() });
  }
}

import { randomBytes } from "node:crypto";
import {
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
} from "@kubernetes/client-node";
import {
  mergeConditions,
  redeliveryConditions,
  redeliveryResource,
  redeliverySpecSchema,
  type Condition,
  type ConditionInput,
  type RedeliveryProgress,
} from "@symbiont/contracts";
import type { DeadLetterFilter, ReplayResult } from "../domain/dead-letters.js";
import { filterOf } from "./redelivery-filter.js";
import type { ReporterLog } from "./status-reporter.js";

// Redelivery objects of the gateway's Ecosystem, executed by the gateway itself (docs/redelivery.md
// says why here and not in the operator): the dead letters its ledger holds are selected
// once at the start (status.matched), replayed `rateLimit.perSecond` at a time each second
// through the same replay as the admin API and the replay annotation, with progress in
// status after each batch. One replay at a time, oldest Redelivery first. The claim is a
// status write conditioned on the object's resourceVersion, so two gateway replicas never
// run the same Redelivery; a replay whose executor stopped writing progress for two minutes
// is taken over (what it replayed is no longer a dead letter, so nothing is replayed twice).

const staleAfterMs = 120_000;
const eventSource = "symbiont-bus-gateway";

interface RedeliveryObject {
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    uid?: string;
    generation?: number;
    creationTimestamp?: string;
  };
  spec?: unknown;
  status?: {
    executor?: string;
    heartbeatTime?: string;
    startTime?: string;
    conditions?: Condition[];
  } & Partial<RedeliveryProgress>;
}

export interface RedeliveryDeps {
  /** The dead letters the filter selects now, oldest first (their ledger keys). */
  select(filter: DeadLetterFilter): string[];
  /** Replays these dead letters (those still dead). */
  replay(keys: string[]): Promise<ReplayResult[]>;
}

export class RedeliveryRunner {
  readonly #objects: CustomObjectsApi;
  readonly #core: CoreV1Api;
  readonly #instance = `${process.env.HOSTNAME ?? "gateway"}-${randomBytes(3).toString("hex")}`;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopping = false;

  constructor(
    kube: KubeConfig,
    private readonly namespace: string,
    private readonly ecosystem: string,
    private readonly deps: RedeliveryDeps,
    private readonly log: ReporterLog,
    private readonly intervalMs: number,
  ) {
    this.#objects = kube.makeApiClient(CustomObjectsApi);
    this.#core = kube.makeApiClient(CoreV1Api);
  }

  start(): void {
    const tick = () => {
      this.#running = this.runOnce()
        .catch((error: unknown) =>
          this.log.warn({ err: (error as Error).message }, "redeliveries not read; will retry"),
        )
        .finally(() => {
          if (!this.#stopping) this.#timer = setTimeout(tick, this.intervalMs);
        });
    };
    this.#timer = setTimeout(tick, Math.min(1_000, this.intervalMs));
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** Runs the oldest pending Redelivery of the ecosystem, if any, to its end. */
  async runOnce(): Promise<void> {
    const list = (await this.#objects.listNamespacedCustomObject({
      ...this.#target(),
    })) as { items: RedeliveryObject[] };
    const pending = list.items
      .filter((item) => this.#isPending(item))
      .sort((a, b) =>
        (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? ""),
      );
    for (const item of pending) {
      if (this.#stopping) return;
      if (await this.#run(item)) return;
    }
  }

  #isPending(item: RedeliveryObject): boolean {
    const ref = (item.spec as { ecosystemRef?: { name?: string } } | undefined)?.ecosystemRef;
    if (ref?.name !== this.ecosystem) return false;
    const status = item.status;
    const complete = status?.conditions?.find((c) => c.type === "Complete");
    if (complete?.status === "True") return false;
    if (!status?.executor || status.executor === this.#instance) return true;
    const heartbeat = Date.parse(status.heartbeatTime ?? "");
    return !Number.isFinite(heartbeat) || Date.now() - heartbeat > staleAfterMs;
  }

  /** Claims and runs one Redelivery; false when another gateway claimed it first. */
  async #run(item: RedeliveryObject): Promise<boolean> {
    const { name } = item.metadata;
    const generation = item.metadata.generation;
    const parsed = redeliverySpecSchema.safeParse(item.spec);
    if (!parsed.success) {
      const message = parsed.error.issues
        .map((issue) => `spec.${issue.path.join(".")}: ${issue.message}`)
        .join("; ");
      await this.#write(item, {}, [
        { type: "Ready", status: "False", reason: "InvalidSpec", message },
        { type: "Complete", status: "True", reason: "InvalidSpec", message },
        { type: "Failed", status: "True", reason: "InvalidSpec", message },
      ]);
      return true;
    }
    const spec = parsed.data;
    const keys = this.deps.select(filterOf(spec));
    const previous = item.status ?? {};
    // Taken over from a stopped executor: its counts stand, the rest is what is still dead.
    const progress: RedeliveryProgress = {
      matched: (previous.replayed ?? 0) + (previous.failed ?? 0) + keys.length,
      replayed: previous.replayed ?? 0,
      failed: previous.failed ?? 0,
    };
    const start = previous.startTime ?? now();
    try {
      await this.#write(
        item,
        { ...progress, startTime: start },
        redeliveryConditions(progress, "Running"),
        item.metadata.resourceVersion,
      );
    } catch (error) {
      if ((error as { code?: number }).code === 409) return false;
      throw error;
    }
    this.log.info({ redelivery: name, matched: keys.length }, "replaying dead letters");
    const failures: { key: string; error: string }[] = [];
    const batch = spec.rateLimit.perSecond;
    for (let index = 0; index < keys.length; index += batch) {
      if (this.#stopping) return true; // resumed at the next start (heartbeat goes stale)
      const started = Date.now();
      const results = await this.deps.replay(keys.slice(index, index + batch));
      for (const result of results) {
        if (result.result === "failed" || result.result === "still-invalid") {
          progress.failed += 1;
          if (failures.length < 10)
            failures.push({
              key: result.key,
              error: (result.error ?? result.result).slice(0, 500),
            });
        } else progress.replayed += 1;
      }
      const last = index + batch >= keys.length;
      if (!last) {
        await this.#write(
          item,
          { ...progress, failures },
          redeliveryConditions(progress, "Running"),
        );
        await sleep(Math.max(0, 1_000 - (Date.now() - started)));
      }
    }
    const conditions = redeliveryConditions(progress, "Finished");
    await this.#write(item, { ...progress, failures, completionTime: now() }, conditions);
    this.log.info({ redelivery: name, ...progress, generation }, conditions[1]!.message);
    await this.#record(item, conditions[1]!, progress.failed > 0).catch((error: unknown) =>
      this.log.warn({ err: (error as Error).message }, "Redelivery Event not recorded"),
    );
    return true;
  }

  /** The outcome as an Event on the Redelivery (`kubectl describe redelivery`). */
  async #record(item: RedeliveryObject, complete: ConditionInput, warning: boolean) {
    const now = new Date();
    await this.#core.createNamespacedEvent({
      namespace: this.namespace,
      body: {
        metadata: { generateName: `${item.metadata.name}.`, namespace: this.namespace },
        involvedObject: {
          apiVersion: `${redeliveryResource.group}/${redeliveryResource.version}`,
          kind: redeliveryResource.kind,
          name: item.metadata.name,
          namespace: this.namespace,
          ...(item.metadata.uid ? { uid: item.metadata.uid } : {}),
        },
        reason: complete.reason,
        type: warning ? "Warning" : "Normal",
        message: complete.message.slice(0, 1024),
        count: 1,
        firstTimestamp: now,
        lastTimestamp: now,
        source: { component: eventSource },
        reportingComponent: eventSource,
        reportingInstance: this.#instance,
      },
    });
  }

  async #write(
    item: RedeliveryObject,
    fields: Record<string, unknown>,
    conditions: ConditionInput[],
    resourceVersion?: string,
  ): Promise<void> {
    const status = {
      ...fields,
      observedGeneration: item.metadata.generation,
      executor: this.#instance,
      heartbeatTime: now(),
      conditions: mergeConditions(
        item.status?.conditions,
        conditions,
        item.metadata.generation,
        new Date(),
      ),
    };
    await this.#objects.patchNamespacedCustomObjectStatus(
      {
        ...this.#target(),
        name: item.metadata.name,
        // A merge patch naming the resourceVersion fails with 409 when the object changed:
        // the claim is won by one gateway only.
        body: { ...(resourceVersion ? { metadata: { resourceVersion } } : {}), status },
      },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    item.status = { ...item.status, ...status };
  }

  #target() {
    return {
      group: redeliveryResource.group,
      version: redeliveryResource.version,
      namespace: this.namespace,
      plural: redeliveryResource.plural,
    };
  }
}

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

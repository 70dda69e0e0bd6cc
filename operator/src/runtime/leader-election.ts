import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import { KubeApiError } from "../kube/api-error.js";
import type { KubeClient } from "../kube/kube-client.js";
import type { KubeObject } from "../kube/kube-object.js";

// Leader election on a coordination.k8s.io Lease, as client-go does it: a candidate takes the
// lease when it is free or its holder has not renewed it for leaseDuration (measured on the
// candidate's own clock from when it last saw the record change, so clocks need not agree);
// the leader renews every retryPeriod and steps down when it cannot renew within
// renewDeadline. Writes use the lease's resourceVersion, so two candidates never both win.

export interface LeaseSpec {
  holderIdentity?: string | null;
  leaseDurationSeconds?: number;
  acquireTime?: string | null;
  renewTime?: string | null;
  leaseTransitions?: number;
}

interface Lease extends KubeObject {
  spec?: LeaseSpec;
}

export interface LeaderElectionOptions {
  namespace: string;
  name: string;
  identity: string;
  leaseDurationSeconds?: number;
  renewDeadlineSeconds?: number;
  retryPeriodSeconds?: number;
}

export class LeaderElector {
  private observedRecord = "";
  private observedAt = 0;
  private readonly leaseMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryMs: number;

  constructor(
    private readonly client: KubeClient,
    private readonly options: LeaderElectionOptions,
    private readonly logger: Logger,
  ) {
    this.leaseMs = (options.leaseDurationSeconds ?? 15) * 1000;
    this.renewDeadlineMs = (options.renewDeadlineSeconds ?? 10) * 1000;
    this.retryMs = (options.retryPeriodSeconds ?? 2) * 1000;
  }

  /**
   * Waits for the lease, then calls `lead` with a signal that aborts when leadership is lost
   * or `signal` aborts. Resolves after leading ends (releasing the lease on a clean stop).
   */
  async run(
    signal: AbortSignal,
    lead: (leading: AbortSignal) => Promise<void>,
  ): Promise<"stopped" | "lost"> {
    while (!signal.aborted && !(await this.tryAcquireOrRenew())) {
      await sleep(this.retryMs, undefined, { signal }).catch(() => undefined);
    }
    if (signal.aborted) return "stopped";
    this.logger.info(
      { lease: `${this.options.namespace}/${this.options.name}`, identity: this.options.identity },
      "became leader",
    );
    const leading = new AbortController();
    const stopLeading = () => leading.abort();
    signal.addEventListener("abort", stopLeading, { once: true });
    const renewing = this.renew(leading);
    await Promise.all([lead(leading.signal), renewing]);
    signal.removeEventListener("abort", stopLeading);
    if (signal.aborted) {
      await this.release();
      return "stopped";
    }
    return "lost";
  }

  private async renew(leading: AbortController): Promise<void> {
    let lastRenew = Date.now();
    while (!leading.signal.aborted) {
      await sleep(this.retryMs, undefined, { signal: leading.signal }).catch(() => undefined);
      if (leading.signal.aborted) return;
      const renewed = await this.tryAcquireOrRenew().catch(() => false);
      if (renewed) {
        lastRenew = Date.now();
      } else if (Date.now() - lastRenew > this.renewDeadlineMs) {
        this.logger.error(
          { identity: this.options.identity },
          "lost the leader lease; stopping reconciles",
        );
        leading.abort();
        return;
      }
    }
  }

  /** One attempt; true when this candidate holds the lease afterwards. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const { namespace, name, identity } = this.options;
    const now = microTime(new Date());
    const ref = { apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace, name };
    let lease: Lease | undefined;
    try {
      lease = await this.client.get<Lease>(ref);
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, "could not read the leader lease");
      return false;
    }
    const spec: LeaseSpec = {
      holderIdentity: identity,
      leaseDurationSeconds: this.leaseMs / 1000,
      acquireTime: now,
      renewTime: now,
      leaseTransitions: 0,
    };
    try {
      if (!lease) {
        await this.client.create({ ...ref, metadata: { name, namespace }, spec } as Lease);
        this.observe(JSON.stringify(spec));
        return true;
      }
      const current = lease.spec ?? {};
      const record = JSON.stringify(current);
      if (record !== this.observedRecord) this.observe(record);
      const held = current.holderIdentity && current.holderIdentity !== identity;
      if (held && Date.now() - this.observedAt < this.leaseMs) return false;
      if (current.holderIdentity === identity) {
        spec.acquireTime = current.acquireTime ?? now;
        spec.leaseTransitions = current.leaseTransitions ?? 0;
      } else {
        spec.leaseTransitions = (current.leaseTransitions ?? 0) + 1;
      }
      await this.client.replace({ ...lease, spec } as Lease);
      this.observe(JSON.stringify(spec));
      return true;
    } catch (error) {
      if (error instanceof KubeApiError && (error.isConflict || error.status === 409)) return false;
      this.logger.warn({ err: (error as Error).message }, "could not write the leader lease");
      return false;
    }
  }

  /** Gives the lease up on a clean stop so a successor need not wait for it to expire. */
  private async release(): Promise<void> {
    const { namespace, name, identity } = this.options;
    try {
      const lease = await this.client.get<Lease>({
        apiVersion: "coordination.k8s.io/v1",
        kind: "Lease",
        namespace,
        name,
      });
      if (lease?.spec?.holderIdentity !== identity) return;
      await this.client.replace({
        ...lease,
        spec: {
          ...lease.spec,
          holderIdentity: null,
          leaseDurationSeconds: 1,
          renewTime: microTime(new Date()),
        },
      } as Lease);
      this.logger.info({ identity }, "released the leader lease");
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, "could not release the leader lease");
    }
  }

  private observe(record: string): void {
    this.observedRecord = record;
    this.observedAt = Date.now();
  }
}

/** Kubernetes MicroTime: RFC 3339 with six fractional digits. */
function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

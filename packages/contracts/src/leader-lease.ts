import { setTimeout as sleep } from "node:timers/promises";

// Leader election on a coordination.k8s.io Lease, as client-go does it: a candidate takes the
// lease when it is free or its holder has not renewed it for leaseDuration (measured on the
// candidate's own clock from when it last saw the record change, so clocks need not agree);
// the leader renews every retryPeriod and steps down when it cannot renew within
// renewDeadline. Writes use the lease's resourceVersion, so two candidates never both win.
// The operator elects one reconciling replica with it, the bus gateway its active replica.

export interface LeaseSpec {
  holderIdentity?: string | null;
  leaseDurationSeconds?: number;
  acquireTime?: string | null;
  renewTime?: string | null;
  leaseTransitions?: number;
}

export interface Lease {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace: string;
    resourceVersion?: string;
    annotations?: Record<string, string>;
  };
  spec?: LeaseSpec;
}

/** The one Lease an elector works on (each side adapts its own Kubernetes client). */
export interface LeaseClient {
  read(): Promise<Lease | undefined>;
  create(lease: Lease): Promise<void>;
  /** Replaces it at its resourceVersion; resolves false when someone wrote it first (409). */
  replace(lease: Lease): Promise<boolean>;
}

export interface LeaderElectionOptions {
  namespace: string;
  name: string;
  identity: string;
  leaseDurationSeconds?: number;
  renewDeadlineSeconds?: number;
  retryPeriodSeconds?: number;
  /** Written on the lease while this candidate holds it (what followers need of the leader). */
  annotations?: Record<string, string>;
}

interface ElectionLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** The holder as a candidate last read it; `annotations` are what the holder wrote. */
export interface ObservedLeader {
  identity: string;
  annotations: Record<string, string>;
}

export class LeaderElector {
  private observedRecord = "";
  private observedAt = 0;
  private observedLeader: ObservedLeader | undefined;
  private readonly leaseMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryMs: number;

  constructor(
    private readonly client: LeaseClient,
    private readonly options: LeaderElectionOptions,
    private readonly logger: ElectionLogger,
  ) {
    this.leaseMs = (options.leaseDurationSeconds ?? 15) * 1000;
    this.renewDeadlineMs = (options.renewDeadlineSeconds ?? 10) * 1000;
    this.retryMs = (options.retryPeriodSeconds ?? 2) * 1000;
  }

  /** The current holder as last read (undefined while the lease is free or unread). */
  get leader(): ObservedLeader | undefined {
    return this.observedLeader;
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
        this.logger.error({ identity: this.options.identity }, "lost the leader lease");
        leading.abort();
        return;
      }
    }
  }

  /** One attempt; true when this candidate holds the lease afterwards. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const { namespace, name, identity } = this.options;
    const now = microTime(new Date());
    let lease: Lease | undefined;
    try {
      lease = await this.client.read();
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
    const annotations = this.options.annotations;
    try {
      if (!lease) {
        await this.client.create({
          apiVersion: "coordination.k8s.io/v1",
          kind: "Lease",
          metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
          spec,
        });
        this.observe(JSON.stringify(spec), { identity, annotations: annotations ?? {} });
        return true;
      }
      const current = lease.spec ?? {};
      const record = JSON.stringify(current);
      if (record !== this.observedRecord)
        this.observe(
          record,
          current.holderIdentity
            ? { identity: current.holderIdentity, annotations: lease.metadata.annotations ?? {} }
            : undefined,
        );
      const held = current.holderIdentity && current.holderIdentity !== identity;
      if (held && Date.now() - this.observedAt < this.leaseMs) return false;
      if (current.holderIdentity === identity) {
        spec.acquireTime = current.acquireTime ?? now;
        spec.leaseTransitions = current.leaseTransitions ?? 0;
      } else {
        spec.leaseTransitions = (current.leaseTransitions ?? 0) + 1;
      }
      const metadata = annotations
        ? { ...lease.metadata, annotations: { ...lease.metadata.annotations, ...annotations } }
        : lease.metadata;
      if (!(await this.client.replace({ ...lease, metadata, spec }))) return false;
      this.observe(JSON.stringify(spec), { identity, annotations: metadata.annotations ?? {} });
      return true;
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, "could not write the leader lease");
      return false;
    }
  }

  /** Gives the lease up on a clean stop so a successor need not wait for it to expire. */
  private async release(): Promise<void> {
    const { identity } = this.options;
    try {
      const lease = await this.client.read();
      if (lease?.spec?.holderIdentity !== identity) return;
      await this.client.replace({
        ...lease,
        spec: {
          ...lease.spec,
          holderIdentity: null,
          leaseDurationSeconds: 1,
          renewTime: microTime(new Date()),
        },
      });
      this.logger.info({ identity }, "released the leader lease");
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, "could not release the leader lease");
    }
  }

  private observe(record: string, leader: ObservedLeader | undefined): void {
    this.observedRecord = record;
    this.observedAt = Date.now();
    this.observedLeader = leader;
  }
}

/** Kubernetes MicroTime: RFC 3339 with six fractional digits. */
function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

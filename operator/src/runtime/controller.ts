import type { Logger } from "pino";
import { parseKey, type ObjectKey } from "../kube/kube-object.js";
import type { OperatorMetrics } from "../metrics/operator-metrics.js";
import { describeError } from "./reconcile-error.js";
import { WorkQueue } from "./work-queue.js";

// One controller per kind: a work queue of object keys fed by watches (level-triggered: the
// key says only which object to look at, never what happened), N workers that reconcile,
// and one error policy for all failures.

export interface Outcome {
  /** Look again after this long (e.g. waiting for a Deployment to become available). */
  requeueAfterMs?: number;
}

export type Reconcile = (key: ObjectKey) => Promise<Outcome>;
/** Called when a reconcile throws: records the failure in the object's status. */
export type ErrorPolicy = (key: ObjectKey, error: unknown) => Promise<void>;

export interface ControllerOptions {
  kind: string;
  reconcile: Reconcile;
  onError: ErrorPolicy;
  workers?: number;
  logger: Logger;
  metrics: OperatorMetrics;
}

export class Controller {
  readonly queue = new WorkQueue();
  private readonly kind: string;

  constructor(private readonly options: ControllerOptions) {
    this.kind = options.kind;
    options.metrics.queueDepth.collect(this.kind, () => this.queue.depth());
  }

  /** Only a running controller (the leader's) takes keys: a standby's queue stays empty. */
  private running = false;

  enqueue(key: ObjectKey | undefined): void {
    if (key && this.running) this.queue.add(key);
  }

  /** Enqueues after a delay; repeated calls within it collapse into one reconcile. */
  enqueueAfter(key: ObjectKey, delayMs: number): void {
    if (this.running) this.queue.addAfter(key, delayMs);
  }

  /** Runs the workers until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    this.running = true;
    signal.addEventListener(
      "abort",
      () => {
        this.running = false;
        this.queue.shutdown();
      },
      { once: true },
    );
    const workers = Array.from({ length: this.options.workers ?? 4 }, () => this.work());
    await Promise.all(workers);
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        await this.process(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  private async process(key: ObjectKey): Promise<void> {
    const { metrics, logger } = this.options;
    const { namespace, name } = parseKey(key);
    const log = logger.child({ kind: this.kind, namespace, name });
    const stopTimer = metrics.reconcileDuration.startTimer({ kind: this.kind });
    try {
      const outcome = await this.options.reconcile(key);
      this.queue.forget(key);
      log.debug({ requeueAfterMs: outcome.requeueAfterMs }, "reconciled");
      metrics.reconcileTotal.inc({
        kind: this.kind,
        result: outcome.requeueAfterMs ? "requeue" : "success",
      });
      metrics.lastSuccess.set({ kind: this.kind }, Date.now() / 1000);
      if (outcome.requeueAfterMs) this.queue.addAfter(key, outcome.requeueAfterMs);
    } catch (error) {
      const { reason, message, terminal } = describeError(error);
      metrics.reconcileTotal.inc({ kind: this.kind, result: "error" });
      metrics.reconcileErrors.inc({ kind: this.kind, reason });
      try {
        await this.options.onError(key, error);
      } catch (statusError) {
        log.warn({ err: (statusError as Error).message }, "could not record the failure in status");
      }
      if (terminal) {
        this.queue.forget(key);
        log.warn(
          { reason, err: message },
          "reconcile failed; not retrying until the object changes",
        );
      } else {
        const delay = this.queue.addRateLimited(key);
        log.warn({ reason, err: message, retryInMs: delay }, "reconcile failed; retrying");
      }
    } finally {
      stopTimer();
    }
  }
}

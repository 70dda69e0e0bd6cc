import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import type { KubeClient } from "../kube/kube-client.js";
import type { Event } from "../kube/kube-models.js";
import type { KubeObject } from "../kube/kube-object.js";

// Kubernetes Events on the objects the operator manages (what `kubectl describe` shows).
// Repeats of the same event on the same object within ten minutes bump its count instead
// of creating new Events, as kubelet and client-go's recorder do. Recording never fails a
// reconcile: an event that cannot be written is logged.

export type EventType = "Normal" | "Warning";

interface Recorded {
  name: string;
  namespace: string;
  count: number;
  at: number;
}

const aggregationWindowMs = 10 * 60 * 1000;

export class EventRecorder {
  private readonly recent = new Map<string, Recorded>();

  constructor(
    private readonly client: KubeClient,
    private readonly component: string,
    private readonly instance: string,
    private readonly logger: Logger,
  ) {}

  async record(
    object: KubeObject,
    type: EventType,
    reason: string,
    message: string,
  ): Promise<void> {
    const namespace = object.metadata.namespace ?? "default";
    const key = `${object.metadata.uid}/${type}/${reason}/${message}`;
    const now = new Date();
    const timestamp = now.toISOString().replace(/\.\d{3}Z$/, "Z");
    const previous = this.recent.get(key);
    try {
      if (previous && now.getTime() - previous.at < aggregationWindowMs) {
        previous.count++;
        previous.at = now.getTime();
        await this.client.patch(
          { apiVersion: "v1", kind: "Event", namespace, name: previous.name },
          { count: previous.count, lastTimestamp: timestamp },
          "application/merge-patch+json",
        );
        return;
      }
      const name = `${object.metadata.name}.${randomBytes(8).toString("hex")}`;
      const event: Event = {
        apiVersion: "v1",
        kind: "Event",
        metadata: { name, namespace },
        involvedObject: {
          apiVersion: object.apiVersion,
          kind: object.kind,
          name: object.metadata.name,
          namespace: object.metadata.namespace,
          uid: object.metadata.uid,
          resourceVersion: object.metadata.resourceVersion,
        },
        type,
        reason,
        message: message.slice(0, 1024),
        source: { component: this.component },
        reportingComponent: this.component,
        reportingInstance: this.instance,
        firstTimestamp: timestamp,
        lastTimestamp: timestamp,
        count: 1,
      };
      await this.client.create(event);
      this.recent.set(key, { name, namespace, count: 1, at: now.getTime() });
      this.prune(now.getTime());
    } catch (error) {
      this.logger.warn(
        {
          kind: object.kind,
          namespace,
          name: object.metadata.name,
          reason,
          err: (error as Error).message,
        },
        "could not record an event",
      );
    }
  }

  private prune(now: number): void {
    if (this.recent.size < 1000) return;
    for (const [key, recorded] of this.recent) {
      if (now - recorded.at > aggregationWindowMs) this.recent.delete(key);
    }
  }
}

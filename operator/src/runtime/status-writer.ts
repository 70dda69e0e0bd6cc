import type { Logger } from "pino";
import type { KubeClient } from "../kube/kube-client.js";
import type { KubeObject } from "../kube/kube-object.js";
import {
  findCondition,
  mergeConditions,
  type Condition,
  type ConditionInput,
} from "./conditions.js";
import type { EventRecorder } from "./event-recorder.js";
import { fieldManager } from "./child-applier.js";
import { isSubset } from "./subset-equal.js";

// Writes an object's status by server-side apply on /status, only when it differs from what
// the object already says, and records an Event whenever the Ready condition changes.

export interface HasStatus extends KubeObject {
  status?: { conditions?: Condition[] } & object;
}

export class StatusWriter {
  constructor(
    private readonly client: KubeClient,
    private readonly events: EventRecorder,
    private readonly logger: Logger,
  ) {}

  async write(object: HasStatus, status: { conditions?: Condition[] } & object): Promise<boolean> {
    const current = object.status;
    const sameConditions = (current?.conditions?.length ?? 0) === (status.conditions?.length ?? 0);
    if (current && sameConditions && isSubset(status, current)) return false;
    await this.client.apply(
      {
        apiVersion: object.apiVersion,
        kind: object.kind,
        metadata: { name: object.metadata.name, namespace: object.metadata.namespace },
        status,
      } as KubeObject,
      { fieldManager, subresource: "status" },
    );
    const before = findCondition(current?.conditions, "Ready");
    const after = findCondition(status.conditions, "Ready");
    if (after && (before?.status !== after.status || before?.reason !== after.reason)) {
      this.logger.info(
        {
          kind: object.kind,
          namespace: object.metadata.namespace,
          name: object.metadata.name,
          ready: after.status,
          reason: after.reason,
        },
        "Ready changed",
      );
      await this.events.record(
        object,
        after.status === "True" ? "Normal" : "Warning",
        after.reason,
        after.message,
      );
    }
    return true;
  }

  /** Replaces one condition, keeping the rest of the status as it is (the error policy's write). */
  async writeCondition(object: HasStatus, input: ConditionInput): Promise<boolean> {
    const now = new Date();
    const previous = object.status?.conditions ?? [];
    const others = previous.filter((c) => c.type !== input.type);
    const conditions = [
      ...mergeConditions(previous, [input], object.metadata.generation, now),
      ...others,
    ];
    return this.write(object, { ...object.status, conditions });
  }
}

import type { Logger } from "pino";
import type { KubeClient } from "../kube/kube-client.js";
import type { KubeObject } from "../kube/kube-object.js";
import {
  findCondition,
  mergeConditions,
  type Condition,
  type ConditionInput,
} from "@symbiont/contracts";
import type { EventRecorder } from "./event-recorder.js";
import { fieldManager } from "./child-applier.js";
import { isSubset } from "./subset-equal.js";

// Writes an object's status by server-side apply on /status, only when it differs from what
// the object already says, and records an Event whenever the Ready condition changes, and a
// Warning Event whenever a warning condition (LossySettings) turns True or says something new.

/**
 * Reasons of a rollout in progress: a new object passing through them is not news, so they
 * raise an Event only when they follow Ready=True (a degradation).
 */
const progressReasons = new Set([
  "DeploymentPending",
  "DeploymentUnavailable",
  "GatewayPending",
  "GatewayUnavailable",
]);

/** Conditions that are warnings when True (not part of Ready). */
const warningConditions = new Set(["LossySettings"]);

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
    // Conditions compare by type: other managers (the bus gateway) own other types.
    const { conditions = [], ...rest } = status;
    const sameConditions = conditions.every((c) =>
      isSubset(c, findCondition(current?.conditions, c.type)),
    );
    if (current && sameConditions && isSubset(rest, current)) return false;
    const patch: HasStatus = {
      apiVersion: object.apiVersion,
      kind: object.kind,
      metadata: { name: object.metadata.name, namespace: object.metadata.namespace },
      status,
    };
    await this.client.apply(patch, { fieldManager, subresource: "status" });
    for (const warning of conditions.filter((c) => warningConditions.has(c.type))) {
      const previous = findCondition(current?.conditions, warning.type);
      const news =
        warning.status === "True" &&
        (previous?.status !== "True" || previous.message !== warning.message);
      if (news) await this.events.record(object, "Warning", warning.reason, warning.message);
    }
    const before = findCondition(current?.conditions, "Ready");
    const after = findCondition(status.conditions, "Ready");
    const changed = after && (before?.status !== after.status || before?.reason !== after.reason);
    const routine = after && progressReasons.has(after.reason) && before?.status !== "True";
    if (after && changed && !routine) {
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

  /**
   * Replaces one condition, keeping the rest of what the operator owns (the error policy's
   * write). `owned` picks the operator's part of the current status (default: all of it).
   */
  async writeCondition(
    object: HasStatus,
    input: ConditionInput,
    owned: (status: NonNullable<HasStatus["status"]>) => { conditions?: Condition[] } & object = (
      s,
    ) => s,
  ): Promise<boolean> {
    const now = new Date();
    const mine = owned(object.status ?? {});
    const previous = mine.conditions ?? [];
    const others = previous.filter((c) => c.type !== input.type);
    const conditions = [
      ...mergeConditions(previous, [input], object.metadata.generation, now),
      ...others,
    ];
    return this.write(object, { ...mine, conditions });
  }
}

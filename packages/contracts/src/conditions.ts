// Status conditions as the Kubernetes API conventions describe them, for every writer of a
// Symbiont status (the operator's Ready, the gateway's Delivering and Buffering): one entry
// per type; lastTransitionTime changes only when status flips.

export type ConditionStatus = "True" | "False" | "Unknown";

export interface Condition {
  type: string;
  status: ConditionStatus;
  reason: string;
  message: string;
  observedGeneration?: number;
  lastTransitionTime: string;
}

export type ConditionInput = Omit<Condition, "lastTransitionTime" | "observedGeneration">;

/**
 * The new condition list: `inputs` replace the conditions of their types, keeping the
 * previous lastTransitionTime when the status did not change. Conditions of other types
 * (owned by another field manager) are not part of the result.
 */
export function mergeConditions(
  previous: readonly Condition[] | undefined,
  inputs: readonly ConditionInput[],
  generation: number | undefined,
  now: Date,
): Condition[] {
  return inputs.map((input) => {
    const old = previous?.find((c) => c.type === input.type);
    const unchanged = old !== undefined && old.status === input.status;
    return {
      ...input,
      observedGeneration: generation,
      lastTransitionTime: unchanged
        ? old.lastTransitionTime
        : now.toISOString().replace(/\.\d{3}Z$/, "Z"),
    };
  });
}

export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

export function isConditionTrue(
  conditions: readonly Condition[] | undefined,
  type: string,
): boolean {
  return findCondition(conditions, type)?.status === "True";
}

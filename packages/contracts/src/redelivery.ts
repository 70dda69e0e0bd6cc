import { z } from "zod";
import type { ConditionInput } from "./conditions.js";

// The Redelivery kind (crds/redeliveries.symbiont.dev.yaml) as its executor, the bus gateway,
// reads and reports it: the spec parsed (the CRD's CEL refuses bad input first; this is the
// gateway's own check), and the conditions of each phase of a replay.

export const redeliveryResource = {
  group: "symbiont.dev",
  version: "v1alpha1",
  plural: "redeliveries",
  kind: "Redelivery",
} as const;

const kinds = ["partner", "export", "import", "inbound", "drop"] as const;

export const redeliverySpecSchema = z.object({
  ecosystemRef: z.object({ name: z.string().min(1) }),
  selector: z
    .object({
      all: z.boolean().optional(),
      partner: z.string().min(1).optional(),
      topic: z.string().min(1).optional(),
      kind: z.enum(kinds).optional(),
      reason: z.string().min(1).optional(),
      since: z.iso.datetime({ offset: true }).optional(),
      until: z.iso.datetime({ offset: true }).optional(),
    })
    .refine(
      (s) => s.all === true || Object.entries(s).some(([key, value]) => key !== "all" && value),
      "spec.selector is empty: name a partner, topic, kind, reason or time window, or set all: true",
    ),
  rateLimit: z
    .object({ perSecond: z.number().int().min(1).max(1000).default(10) })
    .default({ perSecond: 10 }),
});
export type RedeliverySpec = z.infer<typeof redeliverySpecSchema>;

export interface RedeliveryProgress {
  matched: number;
  replayed: number;
  failed: number;
}

/** Ready, Complete and Failed for a replay running, or finished. */
export function redeliveryConditions(
  progress: RedeliveryProgress,
  phase: "Running" | "Finished",
): ConditionInput[] {
  const { matched, replayed, failed } = progress;
  const counts = `${replayed} of ${matched} dead letter(s) replayed, ${failed} failed`;
  if (phase === "Running")
    return [
      { type: "Ready", status: "False", reason: "Running", message: `replaying: ${counts}` },
      { type: "Complete", status: "False", reason: "Running", message: `replaying: ${counts}` },
      {
        type: "Failed",
        status: failed ? "True" : "False",
        reason: failed ? "ReplayFailed" : "NoFailures",
        message: counts,
      },
    ];
  const reason = matched === 0 ? "NothingMatched" : failed ? "ReplayFailed" : "Replayed";
  const message =
    matched === 0
      ? "no dead letter matched the selector"
      : failed
        ? `${counts}; status.failures names them (kubectl symbiont trace <key>)`
        : counts;
  return [
    { type: "Ready", status: failed ? "False" : "True", reason, message },
    { type: "Complete", status: "True", reason, message },
    {
      type: "Failed",
      status: failed ? "True" : "False",
      reason: failed ? "ReplayFailed" : "NoFailures",
      message,
    },
  ];
}

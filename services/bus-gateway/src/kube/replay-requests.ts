import {
  PatchStrategy,
  setHeaderOptions,
  type CoreV1Api,
  type CustomObjectsApi,
} from "@kubernetes/client-node";
import { parseReplayRequest, replayAnnotation, type ReplayRequest } from "@symbiont/contracts";
import type { ReplayResult } from "../domain/dead-letters.js";

// The replay annotation on the gateway's Ecosystem (packages/contracts replay-request.ts):
// read at each status report; the dead letters it selects are replayed, the outcome is an
// Event on the Ecosystem, and the annotation is removed so it runs once. A request the
// gateway does not understand is removed too, with a Warning Event saying what to write.

export interface ReplayRequestDeps {
  objects: CustomObjectsApi;
  core: CoreV1Api;
  namespace: string;
  ecosystem: string;
  replay: (request: ReplayRequest) => Promise<ReplayResult[]>;
  source: string;
}

interface EcosystemObject {
  metadata?: { uid?: string; annotations?: Record<string, string> };
}

/** Handles a pending request, if any; returns what was done (for logs and tests). */
export async function handleReplayRequest(deps: ReplayRequestDeps): Promise<string | undefined> {
  const target = {
    group: "symbiont.dev",
    version: "v1alpha1",
    namespace: deps.namespace,
    plural: "ecosystems",
    name: deps.ecosystem,
  };
  const ecosystem = (await deps.objects.getNamespacedCustomObject(target)) as EcosystemObject;
  const value = ecosystem.metadata?.annotations?.[replayAnnotation];
  if (value === undefined) return undefined;
  // Removed first: a replay that fails half-way is not repeated at every report.
  await deps.objects.patchNamespacedCustomObject(
    { ...target, body: { metadata: { annotations: { [replayAnnotation]: null } } } },
    setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
  );
  const parsed = parseReplayRequest(value);
  let type: "Normal" | "Warning";
  let reason: string;
  let message: string;
  if (!parsed.ok) {
    [type, reason, message] = ["Warning", "ReplayRefused", parsed.error];
  } else {
    const results = await deps.replay(parsed.request);
    const failed = results.filter((r) => r.result === "failed" || r.result === "still-invalid");
    type = failed.length ? "Warning" : "Normal";
    reason = "DeadLettersReplayed";
    message =
      `replayed ${results.length - failed.length} of ${results.length} dead letter(s) (${value})` +
      (failed.length
        ? `; still dead: ${failed
            .slice(0, 5)
            .map((f) => `${f.key}: ${f.error ?? f.result}`)
            .join("; ")}`
        : "");
  }
  const now = new Date();
  await deps.core.createNamespacedEvent({
    namespace: deps.namespace,
    body: {
      metadata: { generateName: `${deps.ecosystem}.replay.`, namespace: deps.namespace },
      involvedObject: {
        apiVersion: "symbiont.dev/v1alpha1",
        kind: "Ecosystem",
        name: deps.ecosystem,
        namespace: deps.namespace,
        ...(ecosystem.metadata?.uid ? { uid: ecosystem.metadata.uid } : {}),
      },
      reason,
      type,
      message: message.slice(0, 1024),
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: deps.source },
      reportingComponent: deps.source,
    },
  });
  return `${reason}: ${message}`;
}

import type { OutgoingEvent } from "../events/outgoing-event.js";

export interface EventPublisher {
  /** Publishes one event; rejects when the sidecar did not accept it. */
  publish(event: OutgoingEvent): Promise<void>;
}

export interface DaprPublisherOptions {
  daprHost: string;
  daprHttpPort: number;
  pubsubName: string;
  /** CloudEvent `source`: the module's app-id. */
  source: string;
  timeoutMs?: number;
}

/**
 * Publishes through the sidecar's HTTP API (`POST /v1.0/publish/<pubsub>/<topic>`) as a
 * complete CloudEvent (application/cloudevents+json), so the `id` chosen here is the id
 * subscribers see and a re-publish of the same fact carries the same id.
 *
 * A plain request rather than @dapr/dapr's DaprClient: the client waits for the sidecar on
 * its first call (up to its start-up timeout) and reports a failed publish as a value;
 * the outbox needs a publish that fails fast and throws, and retries on its own.
 */
export function createDaprPublisher(options: DaprPublisherOptions): EventPublisher {
  const base = `http://${options.daprHost}:${options.daprHttpPort}/v1.0/publish/${encodeURIComponent(options.pubsubName)}`;
  return {
    async publish(event) {
      const envelope = {
        specversion: "1.0",
        id: event.id,
        source: options.source,
        type: event.topic,
        datacontenttype: "application/json",
        data: event.data,
      };
      const response = await fetch(`${base}/${encodeURIComponent(event.topic)}`, {
        method: "POST",
        headers: { "content-type": "application/cloudevents+json" },
        body: JSON.stringify(envelope),
        signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
      });
      if (response.status !== 204 && response.status !== 200) {
        const text = await response.text().catch(() => "");
        throw new Error(
          `publish ${event.topic} ${event.id}: sidecar answered ${response.status} ${text}`,
        );
      }
    },
  };
}

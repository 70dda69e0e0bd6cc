import { CommunicationProtocolEnum, DaprClient, LogLevel } from "@dapr/dapr";
import { GroupCommit } from "../data/group-commit.js";
import { createBindingCaller } from "./binding-call.js";
import type { OutgoingCloudEvent } from "./cloud-event.js";

// Publishing (HTTP) and output bindings (gRPC: binding data travels as exact bytes, so a
// partner receives the very body its signature was computed over) through the Dapr sidecar.
// Publishes to one topic that overlap (the entries of a bulk delivery crossing the buses) go
// to the sidecar together, as one bulk publish; each caller still learns its own outcome.

export interface BindingAnswer {
  statusCode?: number;
}

export interface Bus {
  publish(pubsub: string, topic: string, event: OutgoingCloudEvent): Promise<void>;
  invokeBinding(
    name: string,
    body: string,
    metadata: Record<string, string>,
    timeoutMs: number,
  ): Promise<BindingAnswer>;
  ready(): Promise<void>;
  close(): Promise<void>;
}

export function createDaprBus(grpcPort: number, httpPort: number): Bus {
  const httpBase = `http://127.0.0.1:${httpPort}`;
  const bindings = createBindingCaller(grpcPort);
  const client = new DaprClient({
    daprHost: "127.0.0.1",
    daprPort: String(grpcPort),
    communicationProtocol: CommunicationProtocolEnum.GRPC,
    logger: { level: LogLevel.Error },
  });
  const publishOne = async (pubsub: string, topic: string, event: OutgoingCloudEvent) => {
    // Plain HTTP for publishing: measured faster than the SDK's gRPC call here, and a
    // CloudEvent's JSON needs no byte-exactness.
    let answer: Response;
    try {
      answer = await fetch(
        `${httpBase}/v1.0/publish/${encodeURIComponent(pubsub)}/${encodeURIComponent(topic)}`,
        {
          method: "POST",
          headers: { "content-type": "application/cloudevents+json" },
          body: JSON.stringify(event),
          signal: AbortSignal.timeout(30_000),
        },
      );
    } catch (error) {
      throw new Error(`publish to ${pubsub}/${topic} failed: ${(error as Error).message}`);
    }
    if (answer.status !== 204) {
      throw new Error(
        `publish to ${pubsub}/${topic} failed: HTTP ${answer.status} ${(await answer.text()).slice(0, 300)}`,
      );
    }
    await answer.arrayBuffer();
  };
  /** Each event's failure, or undefined once the broker took it. */
  const publishMany = async (
    pubsub: string,
    topic: string,
    events: OutgoingCloudEvent[],
  ): Promise<Array<Error | undefined>> => {
    if (events.length === 1) {
      try {
        await publishOne(pubsub, topic, events[0]!);
        return [undefined];
      } catch (error) {
        return [error as Error];
      }
    }
    const failed = (message: string) =>
      events.map(() => new Error(`publish to ${pubsub}/${topic} failed: ${message}`));
    let answer: Response;
    try {
      answer = await fetch(
        `${httpBase}/v1.0-alpha1/publish/bulk/${encodeURIComponent(pubsub)}/${encodeURIComponent(topic)}`,
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(
            events.map((event, index) => ({
              entryId: String(index),
              event,
              contentType: "application/cloudevents+json",
            })),
          ),
          signal: AbortSignal.timeout(30_000),
        },
      );
    } catch (error) {
      return failed((error as Error).message);
    }
    const text = await answer.text();
    if (answer.status === 204) return events.map(() => undefined);
    // Some entries failed: daprd names them; anything else counts as all failed.
    let entries: Array<{ entryId?: string; error?: string }> = [];
    try {
      entries = (JSON.parse(text) as { failedEntries?: typeof entries }).failedEntries ?? [];
    } catch {
      entries = [];
    }
    if (entries.length === 0) return failed(`HTTP ${answer.status} ${text.slice(0, 300)}`);
    const errors = new Map(entries.map((entry) => [entry.entryId, entry.error ?? "failed"]));
    return events.map((_, index) => {
      const error = errors.get(String(index));
      return error === undefined
        ? undefined
        : new Error(`publish to ${pubsub}/${topic} failed: ${error}`);
    });
  };
  const topics = new Map<string, GroupCommit<OutgoingCloudEvent, Error | undefined>>();
  return {
    async publish(pubsub, topic, event) {
      const key = `${pubsub}/${topic}`;
      let batches = topics.get(key);
      if (!batches) {
        batches = new GroupCommit({
          flush: (batch) => publishMany(pubsub, topic, batch),
          maxBatch: 100,
        });
        topics.set(key, batches);
      }
      const error = await batches.submit(event);
      if (error) throw error;
    },
    async invokeBinding(name, body, metadata, timeoutMs) {
      const answer = await bindings.invoke(name, Buffer.from(body, "utf8"), metadata, timeoutMs);
      const status = Number(answer.statusCode);
      return Number.isInteger(status) ? { statusCode: status } : {};
    },
    ready: () => client.start(),
    close: async () => {
      bindings.close();
      await client.stop();
    },
  };
}

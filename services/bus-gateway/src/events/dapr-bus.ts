import { CommunicationProtocolEnum, DaprClient, LogLevel } from "@dapr/dapr";
import type { OutgoingCloudEvent } from "./cloud-event.js";

// Publishing and output bindings through the Dapr sidecar (gRPC: binding data travels as
// exact bytes, so a partner receives the very body its signature was computed over).

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

export class TimeoutError extends Error {
  override readonly name = "TimeoutError";
}

export function createDaprBus(grpcPort: number): Bus {
  const client = new DaprClient({
    daprHost: "127.0.0.1",
    daprPort: String(grpcPort),
    communicationProtocol: CommunicationProtocolEnum.GRPC,
    logger: { level: LogLevel.Error },
  });
  return {
    async publish(pubsub, topic, event) {
      try {
        await client.pubsub.publish(pubsub, topic, event, {
          contentType: "application/cloudevents+json",
        });
      } catch (error) {
        // The gRPC client throws `{ error }` rather than an Error.
        const inner = (error as { error?: unknown }).error ?? error;
        throw new Error(
          `publish to ${pubsub}/${topic} failed: ${inner instanceof Error ? inner.message : String(inner)}`,
        );
      }
    },
    async invokeBinding(name, body, metadata, timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new TimeoutError(`no answer within ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      try {
        const answer = (await Promise.race([
          client.binding.send(name, "post", body, metadata),
          timeout,
        ])) as {
          metadata?: Record<string, string>;
        };
        const status = Number(answer.metadata?.statusCode);
        return Number.isInteger(status) ? { statusCode: status } : {};
      } finally {
        clearTimeout(timer);
      }
    },
    ready: () => client.start(),
    close: () => client.stop(),
  };
}

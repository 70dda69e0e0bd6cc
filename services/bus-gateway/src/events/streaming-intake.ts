import { create } from "@bufbuild/protobuf";
import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import {
  TopicEventResponse_TopicEventResponseStatus as EventStatus,
  type TopicEventRequest,
} from "@dapr/dapr/proto/dapr/proto/runtime/v1/appcallback_pb.js";
import {
  Dapr,
  SubscribeTopicEventsRequestAlpha1Schema,
  type SubscribeTopicEventsRequestAlpha1,
} from "@dapr/dapr/proto/dapr/proto/runtime/v1/dapr_pb.js";

// Streaming subscriptions (Dapr's SubscribeTopicEventsAlpha1): the gateway opens one gRPC
// stream per topic to its own sidecar and the sidecar sends each message down it, as many at
// once as the bus's consumers hold, each waiting for its own answer. There is no app channel:
// no HTTP call from the sidecar to the gateway, none of its one-at-a-time limits, and none of
// the daprd HTTP-channel bug (docs/testbed.md). Messages in flight together are recorded
// together (the ledger's group commit) and cross together (bulk publish), whatever their
// number, where a bulk delivery waits for its whole batch before the next one starts.
//
// Nothing is acknowledged that the gateway did not answer SUCCESS: a message whose answer
// never came (the stream broke, the gateway stopped) fails in the sidecar and the bus
// redelivers it. A broken stream is opened again, after 0.5 s and then up to 10 s apart.

export interface StreamedTopic {
  pubsub: string;
  topic: string;
  /** Where the sidecar moves a message the bus gave up on (the Resiliency's retries spent). */
  deadLetterTopic?: string;
  /** Resolves when the message is recorded; rejects when the bus must deliver it again. */
  take(message: TopicEventRequest): Promise<void>;
}

export interface StreamingLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface StreamingIntake {
  /** Resolves once every topic's stream is open (the sidecar confirmed each subscription). */
  subscribed(): Promise<void>;
  /** Streams open now, out of all. */
  open(): { open: number; all: number };
  /** Closes the streams: messages not answered yet are delivered again by the bus. */
  close(): Promise<void>;
}

const firstRetryMs = 500;
const maxRetryMs = 10_000;

export function startStreamingIntake(
  grpcPort: number,
  topics: readonly StreamedTopic[],
  log: StreamingLog,
): StreamingIntake {
  const client = createClient(
    Dapr,
    createGrpcTransport({ baseUrl: `http://127.0.0.1:${grpcPort}` }),
  );
  const stopping = new AbortController();
  const streams = topics.map((topic) => new TopicStream(client, topic, stopping.signal, log));
  const running = streams.map((stream) => stream.run());
  return {
    subscribed: () => Promise.all(streams.map((stream) => stream.subscribed)).then(() => undefined),
    open: () => ({ open: streams.filter((stream) => stream.isOpen).length, all: streams.length }),
    async close() {
      stopping.abort();
      await Promise.all(running);
    },
  };
}

class TopicStream {
  isOpen = false;
  readonly subscribed: Promise<void>;
  #confirm!: () => void;

  constructor(
    private readonly client: Client<typeof Dapr>,
    private readonly topic: StreamedTopic,
    private readonly stopping: AbortSignal,
    private readonly log: StreamingLog,
  ) {
    this.subscribed = new Promise((resolve) => (this.#confirm = resolve));
  }

  async run(): Promise<void> {
    let waitMs = firstRetryMs;
    while (!this.stopping.aborted) {
      const answers = new Outbox<SubscribeTopicEventsRequestAlpha1>();
      const call = new AbortController();
      const stop = () => call.abort();
      this.stopping.addEventListener("abort", stop, { once: true });
      try {
        answers.push(
          create(SubscribeTopicEventsRequestAlpha1Schema, {
            subscribeTopicEventsRequestType: {
              case: "initialRequest",
              value: {
                pubsubName: this.topic.pubsub,
                topic: this.topic.topic,
                deadLetterTopic: this.topic.deadLetterTopic,
              },
            },
          }),
        );
        for await (const response of this.client.subscribeTopicEventsAlpha1(answers, {
          signal: call.signal,
        })) {
          const kind = response.subscribeTopicEventsResponseType;
          if (kind.case === "initialResponse") {
            this.isOpen = true;
            waitMs = firstRetryMs;
            this.#confirm();
            this.log.info(
              { pubsub: this.topic.pubsub, topic: this.topic.topic },
              "streaming subscription open",
            );
          } else if (kind.case === "eventMessage") {
            const message = kind.value;
            this.topic.take(message).then(
              () => answers.push(processed(message.id, EventStatus.SUCCESS)),
              () => answers.push(processed(message.id, EventStatus.RETRY)),
            );
          }
        }
        if (!this.stopping.aborted)
          this.log.warn(
            { pubsub: this.topic.pubsub, topic: this.topic.topic },
            "the sidecar ended the streaming subscription; opening it again",
          );
      } catch (error) {
        if (!this.stopping.aborted)
          this.log.warn(
            {
              pubsub: this.topic.pubsub,
              topic: this.topic.topic,
              err: (error as Error).message,
              retryInMs: waitMs,
            },
            "streaming subscription broken; opening it again",
          );
      } finally {
        this.isOpen = false;
        answers.end();
        call.abort();
        this.stopping.removeEventListener("abort", stop);
      }
      if (this.stopping.aborted) break;
      await pause(waitMs, this.stopping);
      waitMs = Math.min(waitMs * 2, maxRetryMs);
    }
  }
}

function processed(id: string, status: EventStatus): SubscribeTopicEventsRequestAlpha1 {
  return create(SubscribeTopicEventsRequestAlpha1Schema, {
    subscribeTopicEventsRequestType: {
      case: "eventProcessed",
      value: { id, status: { status } },
    },
  });
}

/** The answers a stream sends, in the order they were given; ended when the stream closes. */
class Outbox<T> implements AsyncIterable<T> {
  #queue: T[] = [];
  #wake: (() => void) | undefined;
  #ended = false;

  push(item: T): void {
    if (this.#ended) return;
    this.#queue.push(item);
    this.#wake?.();
  }

  end(): void {
    this.#ended = true;
    this.#wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    while (true) {
      if (this.#queue.length > 0) {
        yield* this.#queue.splice(0);
        continue;
      }
      if (this.#ended) return;
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * A streamed message as the CloudEvent the sidecar would have posted: its attributes and
 * extensions, and its data (JSON parsed; text as text; anything else as `data_base64`).
 */
export function cloudEventOf(message: TopicEventRequest): Record<string, unknown> {
  const event: Record<string, unknown> = {
    ...message.extensions,
    id: message.id,
    specversion: message.specVersion,
    source: message.source,
    type: message.type,
    topic: message.topic,
    pubsubname: message.pubsubName,
  };
  const contentType = message.dataContentType;
  if (contentType) event.datacontenttype = contentType;
  if (message.data.length === 0) return event;
  const text = Buffer.from(message.data).toString("utf8");
  if (contentType === "" || /[/+]json(;|$)/.test(contentType)) {
    try {
      event.data = JSON.parse(text);
    } catch {
      event.data = text;
    }
  } else if (contentType.startsWith("text/")) event.data = text;
  else event.data_base64 = Buffer.from(message.data).toString("base64");
  return event;
}

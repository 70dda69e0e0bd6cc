import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { cloudEventSchema } from "@symbiont/contracts";
import { TopicEventRequestSchema } from "@dapr/dapr/proto/dapr/proto/runtime/v1/appcallback_pb.js";
import { describe, expect, it } from "vitest";
import { cloudEventOf } from "./streaming-intake.js";

const bytes = (text: string) => new TextEncoder().encode(text);

type StreamedFields = Omit<MessageInitShape<typeof TopicEventRequestSchema>, "$typeName">;

const streamed = (fields: StreamedFields) =>
  create(TopicEventRequestSchema, {
    id: "m-1",
    source: "acme-crm",
    type: "com.dapr.event.sent",
    specVersion: "1.0",
    topic: "customer.created",
    pubsubName: "acme-internal-bus",
    ...fields,
  });

describe("cloudEventOf", () => {
  it("when a streamed message carries JSON data and extensions, then it is the CloudEvent an HTTP delivery would post", () => {
    const event = cloudEventOf(
      streamed({
        dataContentType: "application/json",
        data: bytes('{"id":"c-1","n":2}'),
        extensions: { traceparent: "00-abc-def-01", symbiontsubject: "c-1" },
      }),
    );
    expect(event).toEqual({
      id: "m-1",
      specversion: "1.0",
      source: "acme-crm",
      type: "com.dapr.event.sent",
      topic: "customer.created",
      pubsubname: "acme-internal-bus",
      datacontenttype: "application/json",
      data: { id: "c-1", n: 2 },
      traceparent: "00-abc-def-01",
      symbiontsubject: "c-1",
    });
    expect(cloudEventSchema.safeParse(event).success).toBe(true);
  });

  it("when an extension has an attribute's name, then the attribute wins", () => {
    const event = cloudEventOf(streamed({ extensions: { id: "forged", pubsubname: "other-bus" } }));
    expect(event).toMatchObject({ id: "m-1", pubsubname: "acme-internal-bus" });
  });

  it("when the data is text or bytes, then text stays text and anything else travels as data_base64", () => {
    expect(cloudEventOf(streamed({ dataContentType: "text/plain", data: bytes("hi") })).data).toBe(
      "hi",
    );
    const binary = cloudEventOf(
      streamed({ dataContentType: "application/octet-stream", data: new Uint8Array([0, 255]) }),
    );
    expect(binary).toMatchObject({ data_base64: "AP8=" });
    expect(binary).not.toHaveProperty("data");
  });

  it("when JSON data does not parse, then it is kept as text for the route's schema to judge", () => {
    const event = cloudEventOf(
      streamed({ dataContentType: "application/json", data: bytes("{nope") }),
    );
    expect(event.data).toBe("{nope");
  });

  it("when the bus held something that was not a CloudEvent, then it has no id and is refused as one", () => {
    // What the sidecar streams for a raw JSON object: empty attributes, its fields as extensions.
    const event = cloudEventOf(
      create(TopicEventRequestSchema, {
        topic: "sms.send",
        pubsubName: "acme-corporate-bus",
        extensions: { not: "a cloud event" },
      }),
    );
    const parsed = cloudEventSchema.safeParse(event);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["id"]);
  });
});

import { join } from "node:path";
import {
  audienceSegmentExported,
  audienceSegmentExportedSchema,
  consumedTopics,
  offerSuggested,
  offerSuggestedSchema,
} from "@symbiont/analytics";
import { describe, expect, it } from "vitest";
import { readManifests } from "../../dev/harness/apply-manifests.js";
import { repoRoot } from "../../dev/harness/tool-paths.js";
import { redactPayload } from "../../services/bus-gateway/src/domain/redact-payload.js";
import { SchemaValidator } from "../../services/bus-gateway/src/domain/schema-validator.js";

// The samples carry analytics' events out of the core: the export routes accept the payloads
// analytics really publishes (built by its own functions) and checked by the gateway's own
// validator and redaction; the ads partner takes the segments; the module subscribes to
// every topic it reads and publishes what it sends.

interface Spec {
  topic?: string;
  direction?: string;
  schema?: Record<string, unknown>;
  redact?: Array<{ path: string; action: "remove" | "mask" }>;
  consumes?: string[];
  publishes?: Array<{ topic: string }>;
  subscribes?: Array<{ topic: string }>;
}
const samples = readManifests(join(repoRoot, "samples")) as Array<{
  kind: string;
  metadata: { name: string };
  spec?: Spec;
}>;
const route = (topic: string) =>
  samples.find(
    (o) => o.kind === "BusRoute" && o.spec?.topic === topic && o.spec.direction === "export",
  )!.spec!;

const offer = offerSuggested(
  offerSuggestedSchema.parse({
    suggestionId: "c1:car-for-home-seekers",
    customerId: "c1",
    rule: "car-for-home-seekers",
    offer: { category: "car", title: "A car loan on good terms for your move" },
    reason: "interested in real-estate; no car bought",
    suggestedAt: "2026-12-01T10:00:00.000Z",
  }),
);
const segment = audienceSegmentExported(
  audienceSegmentExportedSchema.parse({
    exportId: "3f6c1a2e-0000-4000-8000-000000000001",
    segment: "car-for-home-seekers",
    part: 1,
    parts: 1,
    size: 2,
    exportedAt: "2026-12-01T10:00:00.000Z",
    members: [
      { customerId: "c1", emailSha256: "a".repeat(64) },
      { customerId: "c2", phoneSha256: "b".repeat(64), emailSha256: "c".repeat(64) },
    ],
  }),
);

function validator(topic: string): SchemaValidator {
  const validate = new SchemaValidator();
  validate.add(topic, route(topic).schema!);
  return validate;
}

describe("analytics' export routes in the samples", () => {
  it.each([
    ["offer.suggested", offer.data],
    ["audience.segment.exported", segment.data],
  ])("when analytics publishes %s, then its route's schema accepts the payload", (topic, data) => {
    expect(validator(topic).validate(topic, data)).toEqual({ ok: true });
  });

  it("when a segment crosses to the ads partner, then the internal ids are removed and only hashes remain", () => {
    const out = redactPayload(
      segment.data,
      route("audience.segment.exported").redact!,
    ) as typeof segment.data;
    expect(out.members).toEqual([
      { emailSha256: "a".repeat(64) },
      { phoneSha256: "b".repeat(64), emailSha256: "c".repeat(64) },
    ]);
  });

  it.each([
    [{ customerId: "c1", email: "anna@example.com" }, "an e-mail in clear"],
    [{ customerId: "c1", emailSha256: "anna@example.com" }, "an e-mail where a hash should be"],
  ])("when a segment member carries %j, then the route refuses it (%s)", (member, _why) => {
    const data = { ...segment.data, members: [member] };
    expect(
      validator("audience.segment.exported").validate("audience.segment.exported", data).ok,
    ).toBe(false);
  });

  it("when the samples are applied, then the ads partner takes the segments and analytics is wired to its topics", () => {
    const ads = samples.find(
      (o) => o.kind === "PartnerIntegration" && o.metadata.name === "ads",
    )!.spec!;
    expect(ads.consumes).toContain("audience.segment.exported");
    const module = samples.find(
      (o) => o.kind === "EcosystemModule" && o.metadata.name === "analytics",
    )!.spec!;
    expect(module.subscribes!.map((s) => s.topic).sort()).toEqual([...consumedTopics].sort());
    expect(module.publishes!.map((p) => p.topic).sort()).toEqual([
      "audience.segment.exported",
      "offer.suggested",
    ]);
  });
});

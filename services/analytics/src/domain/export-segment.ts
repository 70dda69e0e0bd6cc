import { notFound } from "@symbiont/service-kit";
import { audienceSegmentExported } from "../events/published-topics.js";
import type { AnalyticsService } from "./analytics-service.js";
import { audienceSegment } from "./audience-segment.js";

export const membersPerPart = 1_000;

export interface SegmentExport {
  exportId: string;
  segment: string;
  size: number;
  parts: number;
  withoutConsent: number;
}

/**
 * Publishes the audience of one next-offer rule as `audience.segment.exported`, in parts of
 * at most 1,000 members, through the outbox (the export BusRoute takes it to the ads partner
 * and removes the internal ids). An empty segment is still published once: the partner learns
 * that the audience is now empty.
 */
export async function exportSegment(
  analytics: AnalyticsService,
  name: string,
): Promise<SegmentExport> {
  const rule = analytics.rules().find((r) => r.name === name);
  if (!rule) throw notFound(`segment ${name} (no next-offer rule has that name)`);
  const { deps } = analytics;
  const nowMs = deps.now();
  const segment = audienceSegment(analytics.state(), rule, nowMs);
  const exportId = deps.newId();
  const parts = Math.max(1, Math.ceil(segment.members.length / membersPerPart));
  const exportedAt = new Date(nowMs).toISOString();
  await deps.outbox.send(
    Array.from({ length: parts }, (_, i) =>
      audienceSegmentExported({
        exportId,
        segment: name,
        part: i + 1,
        parts,
        size: segment.members.length,
        exportedAt,
        members: segment.members.slice(i * membersPerPart, (i + 1) * membersPerPart),
      }),
    ),
  );
  return {
    exportId,
    segment: name,
    size: segment.members.length,
    parts,
    withoutConsent: segment.withoutConsent,
  };
}

import type { AnalyticsState } from "./analytics-state.js";
import { peopleIndex } from "./people-index.js";
import { inWindow, windowLabel, type ReportWindow } from "./report-window.js";

export const funnelStages = ["touchpoint", "identified", "meeting", "order", "paid"] as const;
export type FunnelStage = (typeof funnelStages)[number];

export interface FunnelRow {
  stage: FunnelStage;
  people: number;
  /** Share of the cohort that got this far. */
  ofCohort: number;
  /** Share of the previous stage that got this far. */
  fromPrevious: number;
}

export interface FunnelReport {
  report: "funnel";
  from: string;
  to: string;
  rows: FunnelRow[];
}

const ratio = (part: number, whole: number) =>
  whole === 0 ? 0 : Math.round((part / whole) * 1000) / 1000;

/**
 * From touchpoint to order, for the people first seen in the window (a cohort): how many
 * left a touchpoint, were identified (CRM holds a profile for them), booked a meeting,
 * ordered, and paid. A stage counts everyone who reached it or a later one, so a person who
 * ordered without a meeting still counts as past the meeting stage.
 */
export function funnel(state: AnalyticsState, window: ReportWindow): FunnelReport {
  const people = peopleIndex(state);
  const furthest = new Map<string, number>();
  for (const [person, touch] of people.firstTouches()) {
    if (!inWindow(window, touch.at)) continue;
    const identified = state.profiles.has(person) || people.ownerOf(person) !== undefined;
    furthest.set(person, identified ? 1 : 0);
  }
  const reach = (person: string | undefined, stage: number) => {
    if (person === undefined) return;
    const known = furthest.get(person);
    if (known !== undefined && known < stage) furthest.set(person, stage);
  };
  for (const meeting of state.meetings.values()) {
    const person =
      meeting.customerId !== undefined
        ? people.person(meeting.customerId)
        : people.personOfKeys(meeting.keys);
    reach(person, 2);
  }
  for (const order of state.orders.values()) {
    if (order.customerId === undefined) continue;
    const person = people.person(order.customerId);
    reach(person, order.paidAt !== undefined ? 4 : 3);
  }
  const counts = funnelStages.map(() => 0);
  for (const stage of furthest.values()) for (let s = 0; s <= stage; s++) counts[s]!++;
  return {
    report: "funnel",
    ...windowLabel(window),
    rows: funnelStages.map((stage, i) => ({
      stage,
      people: counts[i]!,
      ofCohort: ratio(counts[i]!, counts[0]!),
      fromPrevious: i === 0 ? 1 : ratio(counts[i]!, counts[i - 1]!),
    })),
  };
}

import type { SmsReply } from "../events/consumed-topics.js";
import type { ProcessesDeps } from "./processes-deps.js";
import { publishKpi } from "./task-service.js";

// A client's answer to the rating request (`sms.reply.received`): a digit from 1 to 5 in reply
// to the SMS `<instanceId>.ask-rating`, from the phone that SMS went to, becomes the meeting's
// rating, counted in its manager's KPIs. Anything else is not a rating and changes nothing.

export const ratingRequestActivity = "ask-rating";

export type RatingOutcome = "recorded" | "repeated" | "not-a-rating";

/** The rating a reply's text gives (its first digit, 1 to 5), if any. */
export function ratingOf(text: string): number | undefined {
  const match = /^\D*([1-5])(?!\d)/.exec(text.trim());
  return match ? Number(match[1]) : undefined;
}

export async function recordRating(deps: ProcessesDeps, reply: SmsReply): Promise<RatingOutcome> {
  const suffix = `.${ratingRequestActivity}`;
  if (!reply.replyTo.endsWith(suffix)) return "not-a-rating";
  const rating = ratingOf(reply.text);
  const instance = await deps.instances.get(reply.replyTo.slice(0, -suffix.length));
  if (rating === undefined || !instance) return "not-a-rating";
  const { managerId, customerId } = instance.variables as Record<string, unknown>;
  if (typeof managerId !== "string" || typeof customerId !== "string") return "not-a-rating";
  // Only the person the request went to rates the meeting.
  const customer = await deps.customers.find(customerId);
  if (!customer?.phone || customer.phone !== reply.from) return "not-a-rating";
  const recorded = await deps.ratings.insertOnce({
    instanceId: instance.id,
    managerId,
    customerId: customer.id,
    rating,
    at: reply.receivedAt,
  });
  if (!recorded) return "repeated";
  await publishKpi(deps, managerId);
  return "recorded";
}

import { describe, expect, it } from "vitest";
import { memoryDeps } from "../testing/memory-deps.js";
import { ratingOf, recordRating } from "./record-rating.js";

async function ratedMeeting() {
  const deps = memoryDeps();
  await deps.customers.upsert({ id: "c-1", version: 1, phone: "+79161234567", smsConsent: true });
  await deps.instances.insert({
    id: "i-1",
    definitionKey: "client-meeting",
    definitionVersion: 1,
    businessKey: "meeting:mt-1",
    status: "completed",
    variables: { managerId: "m-1", customerId: "c-1" },
    waiting: [],
    received: [],
    startedAt: "2026-12-01T09:00:00.000Z",
    startedBy: "t",
    updatedAt: "2026-12-01T09:00:00.000Z",
  });
  return deps;
}
const reply = (text: string, from = "+79161234567", replyTo = "i-1.ask-rating") => ({
  replyTo,
  from,
  text,
  receivedAt: "2026-12-02T12:00:00.000Z",
});

describe("a client's rating of a meeting", () => {
  it.each([
    ["5", 5],
    [" 4 stars, thank you", 4],
    ["Оценка: 3", 3],
    ["10", undefined],
    ["0", undefined],
    ["great", undefined],
  ])("when the reply reads %j, then the rating is %s", (text, rating) => {
    expect(ratingOf(text)).toBe(rating);
  });

  it("when the client answers the rating request, then the manager's KPIs count the rating once", async () => {
    const deps = await ratedMeeting();
    expect(await recordRating(deps, reply("4"))).toBe("recorded");
    expect(await recordRating(deps, reply("1"))).toBe("repeated");
    expect(deps.sent.map((e) => e.data)).toEqual([
      expect.objectContaining({ managerId: "m-1", ratings: { count: 1, average: 4 }, revision: 1 }),
    ]);
  });

  it.each([
    ["another phone", reply("5", "+79990000000")],
    ["an answer to another SMS", reply("5", undefined, "i-1.send-reminder")],
    ["an unknown instance", reply("5", undefined, "i-9.ask-rating")],
    ["no digit", reply("thanks!")],
  ])("when the reply comes from %s, then nothing is recorded", async (_what, answer) => {
    const deps = await ratedMeeting();
    expect(await recordRating(deps, answer)).toBe("not-a-rating");
    expect(deps.sent).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { durationMs, shift } from "./duration.js";
import { managerKpi } from "./kpi.js";
import { checklistOf, isNewlyOverdue, type Task } from "./task.js";

const task: Task = {
  id: "i-1.t_1",
  instanceId: "i-1",
  processKey: "client-meeting",
  activityId: "meeting-checklist",
  name: "Meeting checklist",
  assignee: "m-1",
  status: "open",
  checklist: [],
  dueAt: "2026-12-01T12:00:00.000Z",
  createdAt: "2026-12-01T10:00:00.000Z",
};

describe("tasks, due dates and KPIs", () => {
  it.each([
    ["open, due passed", task, "2026-12-01T12:00:00Z", true],
    ["open, not due yet", task, "2026-12-01T11:59:59Z", false],
    ["completed", { ...task, status: "completed" as const }, "2026-12-02T00:00:00Z", false],
    [
      "reported already",
      { ...task, overdueAt: "2026-12-01T12:00:01Z" },
      "2026-12-02T00:00:00Z",
      false,
    ],
    ["without a due date", { ...task, dueAt: undefined }, "2030-01-01T00:00:00Z", false],
  ])("when a task is %s, then its overdue report is %s", (_what, t, now, expected) => {
    expect(isNewlyOverdue(t, new Date(now))).toBe(expected);
  });

  it.each([
    ["PT2H", 7_200_000],
    ["P1D", 86_400_000],
    ["P1DT30M", 88_200_000],
    ["PT0.5S", 500],
    ["2h", undefined],
    ["P", undefined],
    ["PT", undefined],
  ])("when a duration reads %s, then it is %s ms", (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });

  it("when a time is shifted back by a duration, then it moves back", () => {
    expect(shift(new Date("2026-12-02T10:00:00Z"), "PT2H", -1).toISOString()).toBe(
      "2026-12-02T08:00:00.000Z",
    );
    expect(() => shift(new Date(), "two hours")).toThrow(/not an ISO 8601 duration/);
  });

  it("when a definition names checklist items, then each is open", () => {
    expect(checklistOf(" Agenda agreed, ,Documents checked ")).toEqual([
      { item: "Agenda agreed", done: false },
      { item: "Documents checked", done: false },
    ]);
    expect(checklistOf(undefined)).toEqual([]);
  });

  it("when a manager has ratings, then their average has two decimals; none is null", () => {
    const counts = { done: 3, overdue: 1, open: 2 };
    expect(managerKpi("m-1", counts, [5, 4, 4]).ratings).toEqual({ count: 3, average: 4.33 });
    expect(managerKpi("m-1", counts, []).ratings).toEqual({ count: 0, average: null });
  });
});

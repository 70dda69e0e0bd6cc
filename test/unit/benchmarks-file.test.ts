import { describe, expect, it } from "vitest";
import { notesEnd, notesStart, withSection } from "../../dev/harness/benchmarks-file.js";

// A benchmark rewrites its own section of BENCHMARKS.md on every run; the other sections and
// the hand-written notes of its own stay.

const file = (replay: string) =>
  ["# Benchmarks", "", "## A", "", "a figures", "", replay, "## C", "", "c figures", ""].join("\n");

describe("a benchmark's section of BENCHMARKS.md", () => {
  it("when the benchmark runs again, then its figures are replaced and the other sections stay", () => {
    const before = file("## B\n\nold figures\n\nRun it: b\n");
    const after = withSection(before, "## B\n\nnew figures\n\nRun it: b\n");
    expect(after).toBe(file("## B\n\nnew figures\n\nRun it: b\n"));
  });

  it("when the old section has notes, then they move to the new one before its Run it line", () => {
    const notes = `${notesStart}\nCompared with the code before: 162 -> 198.\n${notesEnd}`;
    const before = file(`## B\n\nold figures\n\n${notes}\n\nRun it: b\n`);
    const after = withSection(before, "## B\n\nnew figures\n\nRun it: b\n");
    expect(after).toBe(file(`## B\n\nnew figures\n\n${notes}\n\nRun it: b\n`));
  });

  it("when the section is new, then it is appended", () => {
    expect(withSection("# Benchmarks\n", "## D\n\nd\n")).toBe("# Benchmarks\n\n## D\n\nd\n");
  });
});

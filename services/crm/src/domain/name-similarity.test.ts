import { describe, expect, it } from "vitest";
import { nameSimilarity, similarNameThreshold } from "./name-similarity.js";

describe("name similarity", () => {
  it.each([
    ["Anna Smith", "Ana Smith"],
    ["Anna Smith", "smith anna"],
    ["José Álvarez", "Jose Alvarez"],
    ["Jonathan Miller", "Jonathon Miller"],
  ])("when %j and %j are compared, then they are similar", (a, b) => {
    expect(nameSimilarity(a, b)).toBeGreaterThanOrEqual(similarNameThreshold);
  });

  it.each([
    ["Anna Smith", "Peter Brown"],
    ["Anna Smith", "Boris Ivanov"],
    ["", "Anna Smith"],
  ])("when %j and %j are compared, then they are not similar", (a, b) => {
    expect(nameSimilarity(a, b)).toBeLessThan(similarNameThreshold);
  });
});

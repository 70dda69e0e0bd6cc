import { AppError } from "@symbiont/service-kit";
import { describe, expect, it } from "vitest";
import { parseSearchQuery } from "./search-query.js";

function fieldOf(query: Record<string, unknown>): string | undefined {
  try {
    parseSearchQuery(query);
  } catch (error) {
    if (error instanceof AppError && error.status === 400) return error.field;
    throw error;
  }
  return undefined;
}

describe("parseSearchQuery", () => {
  it("when filters are plain, then they become indexed term prefixes and attribute pairs", () => {
    const query = parseSearchQuery({
      q: "Smart TV",
      category: "tv",
      "attr.color": "Black",
      page: "2",
      pageSize: "10",
    });
    expect(query).toMatchObject({
      category: "tv",
      attributePairs: ["color=black"],
      skip: 10,
      limit: 10,
    });
    expect(query.termPrefixes.map(String)).toEqual(["/^smart/", "/^tv/"]);
  });

  it.each([
    ["an operator in the key", { "category[$ne]": "x" }, "query.category[$ne]"],
    ["an operator as the value", { category: "$ne" }, "query.category"],
    ["JSON in the text", { q: '{"$gt": ""}' }, "query.q"],
    ["SQL in the text", { q: "tv'; DROP TABLE items; --" }, "query.q"],
    ["an operator as an attribute name", { "attr.$where": "1" }, "query.attr.$where"],
    ["a regular expression as an attribute value", { "attr.color": "red|.*" }, "query.attr.color"],
    ["a repeated attribute", { "attr.color": ["a", "b"] }, "query.attr.color"],
    ["a page size over the limit", { pageSize: "1000" }, "query.pageSize"],
  ])("when the query has %s, then it is refused naming the field", (_case, query, field) => {
    expect(fieldOf(query)).toBe(field);
  });
});

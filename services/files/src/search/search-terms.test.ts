import { describe, expect, it } from "vitest";
import { searchTerms } from "./search-terms.js";

describe("searchTerms", () => {
  it.each([
    ["Договор", "договора"],
    ["ДОГОВОРЫ", "договоров"],
    ["ёлка", "елки"],
    ["Ёжик", "ежики"],
    ["новый", "новые"],
    ["Contract", "contracts"],
    ["signing", "signed"],
    ["café", "CAFE"],
    ["Ärger", "arger"],
  ])("when a document says %s, then a query for %s finds it", (indexed, query) => {
    expect(searchTerms(query)).toEqual(searchTerms(indexed));
  });

  it.each([
    ["договор", "доставка"],
    ["contract", "contact"],
    ["invoice", "voice"],
  ])("when a document says %s, then %s is another term", (indexed, query) => {
    expect(searchTerms(query)).not.toEqual(searchTerms(indexed));
  });

  it("when a name has separators, then each part is a term", () => {
    expect(searchTerms("contract-2024_final.docx")).toEqual(
      searchTerms("contract 2024 final docx"),
    );
    expect(searchTerms("contract-2024_final.docx")).toHaveLength(4);
  });

  it("when a token is one letter, then it is not a term; one digit is", () => {
    expect(searchTerms("a 7 б")).toEqual(["7"]);
  });
});

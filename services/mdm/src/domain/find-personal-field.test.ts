import { describe, expect, it } from "vitest";
import { findPersonalField } from "./find-personal-field.js";

describe("findPersonalField", () => {
  it.each([
    [{ name: "TV", email: "x" }, "email"],
    [{ attributes: { customer_id: "42" } }, "attributes.customer_id"],
    [{ attributes: { ownerPhone: "1" } }, "attributes.ownerPhone"],
    [{ attributes: { owner: "anna@example.com" } }, "attributes.owner"],
    [
      {
        entries: [
          { code: "a", label: "ok" },
          { code: "b", "first-name": "Ann" },
        ],
      },
      "entries.1.first-name",
    ],
  ])("when the input is %j, then %s is reported", (input, path) => {
    expect(findPersonalField(input)).toBe(path);
  });

  it("when the input is catalog data only, then nothing is reported", () => {
    expect(
      findPersonalField({ name: "Phone case", attributes: { color: "red", size: 3 } }),
    ).toBeUndefined();
  });
});

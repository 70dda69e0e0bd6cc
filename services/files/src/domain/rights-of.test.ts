import { describe, expect, it } from "vitest";
import type { Principal } from "../auth/principal.js";
import { rightsOf } from "./rights-of.js";
import type { Grant } from "./sandbox.js";

const grants: Grant[] = [
  { principal: "user:anna", rights: ["read", "write", "share"] },
  { principal: "team:legal", rights: ["read"] },
  { principal: "partner:acme", rights: ["read", "write"] },
];

const anna: Principal = { kind: "internal", id: "anna", teams: [] };
const lawyer: Principal = { kind: "internal", id: "boris", teams: ["legal", "sales"] };
const acmePerson: Principal = { kind: "partner", id: "anna", partner: "acme" };
const otherPartner: Principal = { kind: "partner", id: "zoe", partner: "globex" };
const service: Principal = { kind: "service", id: "anna" };

describe("rightsOf", () => {
  it.each([
    ["the sandbox's owner", anna, ["read", "write", "share"]],
    ["a member of a granted team", lawyer, ["read"]],
    ["a person of a granted partner", acmePerson, ["read", "write"]],
    ["a person of another partner", otherPartner, []],
    ["a service whose id is a granted user's", service, []],
  ] as const)("when %s asks, then the rights are %j", (_who, principal, expected) => {
    expect([...rightsOf({ grants }, principal)].sort()).toEqual([...expected].sort());
  });

  it("when a partner's subject equals an internal user's id, then it gets no user rights", () => {
    expect(rightsOf({ grants }, acmePerson).has("share")).toBe(false);
  });
});

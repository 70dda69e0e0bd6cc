import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseCallers } from "./callers.js";
import { identify } from "./require-caller.js";

const sha = (token: string) => createHash("sha256").update(token).digest("hex");
const callers = parseCallers(`finance:reader:${sha("fin-token")}\nops:admin:${sha("ops-token")}`);
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

describe("callers of the reports API", () => {
  it.each([
    ["Bearer fin-token", "finance"],
    ["bearer ops-token", "ops"],
    [basic("finance", "fin-token"), "finance"],
    [basic("ops", "fin-token"), undefined],
    ["Bearer wrong", undefined],
    ["Bearer ", undefined],
    [undefined, undefined],
    ["Token fin-token", undefined],
  ])("when the Authorization header is %s, then the caller is %s", (header, name) => {
    if (typeof callers === "string") throw new Error(callers);
    expect(identify(callers, header)?.name).toBe(name);
  });

  it.each([
    [`finance:reader:${sha("a")},finance:admin:${sha("b")}`, "entry 2: finance is named twice"],
    [`finance:boss:${sha("a")}`, "role must be one of reader, planner, admin"],
    ["finance:reader:fin-token", "entry 1: expected <name>:<role>:<sha256 hex of the token>"],
  ])("when the configuration is %s, then it is refused: %s", (text, reason) => {
    expect(parseCallers(text)).toContain(reason);
  });
});

import { describe, expect, it } from "vitest";
import { AppError } from "@symbiont/service-kit";
import { parseFilePath } from "./file-path.js";

function refusal(raw: string): AppError {
  try {
    parseFilePath(raw);
  } catch (error) {
    if (error instanceof AppError) return error;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be refused`);
}

describe("parseFilePath", () => {
  it.each([
    ["contract.docx", "contract.docx"],
    ["2024/Q1/отчёт.pdf", "2024/Q1/отчёт.pdf"],
    ["a/b/.hidden.txt", "a/b/.hidden.txt"],
    ["photos/склад 1.jpg", "photos/склад 1.jpg"],
  ])("when the path is %j, then it is kept as %j", (raw, expected) => {
    expect(parseFilePath(raw)).toBe(expected);
  });

  it.each([
    ["../other/secret.pdf", '".."'],
    ["a/../../b.txt", '".."'],
    ["/etc/passwd", "relative"],
    ["a//b.txt", '"//"'],
    ["a/./b.txt", '"."'],
    ["a\u0000b.txt", "control character"],
    ["..\\windows\\win.ini", "backslash"],
    ["", "empty"],
    ["a/".repeat(600) + "x", "longer than"],
  ])("when the path is %j, then it is a 400 saying %s", (raw, reason) => {
    const error = refusal(raw);
    expect([error.status, error.field]).toEqual([400, "path"]);
    expect(error.message).toContain(reason);
  });
});

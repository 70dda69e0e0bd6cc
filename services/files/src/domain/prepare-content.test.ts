import { describe, expect, it } from "vitest";
import { sampleDocx } from "../../../../dev/datasets/sample-documents.js";
import { defaultAllowedTypes } from "./content-types.js";
import { prepareContent } from "./prepare-content.js";

const limits = {
  maxFileBytes: 2_048,
  maxEventDocumentBytes: 1_024,
  maxTextChars: 1_000,
  allowedTypes: defaultAllowedTypes,
};

describe("prepareContent", () => {
  it("when a text file fits, then its type, size, sha256 and text come back", async () => {
    const prepared = await prepareContent(
      limits,
      "notes/план.txt",
      "text/plain; charset=utf-8",
      Buffer.from("план работ"),
    );
    expect(prepared).toMatchObject({
      contentType: "text/plain",
      size: Buffer.byteLength("план работ"),
      text: "план работ",
    });
    expect(prepared.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ["over the limit", "a.txt", "text/plain", Buffer.alloc(2_049, 97), 413, "FileTooLarge"],
    [
      "a disallowed type",
      "a.exe",
      "application/x-msdownload",
      Buffer.from("MZ"),
      415,
      "UnsupportedType",
    ],
    ["HTML", "a.html", "text/html", Buffer.from("<script>"), 415, "UnsupportedType"],
    ["no type", "a.txt", undefined, Buffer.from("x"), 415, "UnsupportedType"],
    [
      "an extension that does not fit",
      "run.exe",
      "text/plain",
      Buffer.from("x"),
      400,
      "ExtensionMismatch",
    ],
    ["a PDF that is text", "a.pdf", "application/pdf", Buffer.from("hello"), 400, "CorruptContent"],
  ])("when the upload is %s, then it is %i %s", async (_what, path, type, bytes, status, code) => {
    await expect(prepareContent(limits, path, type, bytes)).rejects.toMatchObject({ status, code });
  });

  it("when the type is refused, then the message names it and what is accepted", async () => {
    await expect(
      prepareContent(limits, "a.exe", "application/x-msdownload", Buffer.from("MZ")),
    ).rejects.toThrow(/application\/x-msdownload is not accepted.*application\/pdf/);
  });

  it("when a type is known but not in the allowed list, then it is refused", async () => {
    const docx = await sampleDocx(["x"]);
    await expect(
      prepareContent(
        { ...limits, allowedTypes: ["text/plain"], maxFileBytes: 100_000 },
        "a.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        docx,
      ),
    ).rejects.toMatchObject({ status: 415 });
  });
});

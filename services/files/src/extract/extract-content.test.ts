import { describe, expect, it } from "vitest";
import {
  sampleDocx,
  samplePdf,
  sampleJpeg,
  sampleXlsx,
} from "../../../../dev/datasets/sample-documents.js";
import { extractContent } from "./extract-content.js";

describe("extractContent", () => {
  it("when a DOCX is read, then its paragraphs are its text", async () => {
    const docx = await sampleDocx(["Договор поставки № 17", "Supplier: Acme Ltd"]);
    const { text } = await extractContent("docx", docx, 10_000);
    expect(text).toContain("Договор поставки № 17");
    expect(text).toContain("Supplier: Acme Ltd");
  });

  it("when an XLSX is read, then its sheet name and cells are its text", async () => {
    const xlsx = await sampleXlsx("Счета", [
      ["Клиент", "Сумма"],
      ["ООО Ромашка", 125000],
    ]);
    const { text } = await extractContent("xlsx", xlsx, 10_000);
    expect(text).toContain("Счета");
    expect(text).toContain("ООО Ромашка\t125000");
  });

  it("when a PDF is read, then its Cyrillic and Latin text and its title come out", async () => {
    const pdf = await samplePdf(["Акт сверки взаиморасчётов", "Reconciliation report"], "Акт");
    const { text, meta } = await extractContent("pdf", pdf, 10_000);
    expect(text).toContain("Акт сверки взаиморасчётов");
    expect(text).toContain("Reconciliation report");
    expect(meta.title).toBe("Акт");
  });

  it("when a JPEG carries EXIF, then its fields are its metadata", async () => {
    const jpeg = sampleJpeg({
      make: "Canon",
      model: "EOS 5D",
      description: "Warehouse inspection",
      artist: "Ivan Petrov",
    });
    const { text, meta } = await extractContent("jpeg", jpeg, 10_000);
    expect(text).toBe("");
    expect(meta).toMatchObject({
      make: "Canon",
      model: "EOS 5D",
      description: "Warehouse inspection",
      artist: "Ivan Petrov",
    });
  });

  it("when text is longer than the limit, then only the limit is kept", async () => {
    const { text } = await extractContent("text", Buffer.from("абв".repeat(1_000)), 100);
    expect(text).toHaveLength(100);
  });

  it.each([
    ["docx", Buffer.from("not a zip at all")],
    ["docx", Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)])],
    ["xlsx", Buffer.from("PK\u0003\u0004 broken")],
    ["pdf", Buffer.from("%PDF-1.7\n garbage garbage garbage")],
    ["pdf", Buffer.from("GIF89a")],
    ["jpeg", Buffer.from("not a jpeg")],
    ["png", Buffer.from("not a png")],
    ["text", Buffer.from([0xff, 0xfe, 0xc3, 0x28])],
  ] as const)("when a %s is corrupt, then it is a 400 CorruptContent", async (kind, bytes) => {
    await expect(extractContent(kind, bytes, 1_000)).rejects.toMatchObject({
      status: 400,
      code: "CorruptContent",
      field: "body",
    });
  });

  it("when a DOCX is cut in half, then it is refused", async () => {
    const docx = await sampleDocx(["Полный текст договора"]);
    await expect(
      extractContent("docx", docx.subarray(0, docx.length / 2), 1_000),
    ).rejects.toMatchObject({ code: "CorruptContent" });
  });
});

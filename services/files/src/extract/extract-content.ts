import { corruptContent } from "../errors.js";
import type { ContentKind } from "../domain/content-types.js";

// The readers (pdf.js, exceljs, mammoth, exifr) load on first use: a restart, which
// recovery and the index rebuild already make slower, does not wait for them.
const readers = {
  wordDocument: () => import("./extract-word-document.js"),
  spreadsheet: () => import("./extract-spreadsheet.js"),
  pdf: () => import("./extract-pdf.js"),
  image: () => import("./extract-image.js"),
};

/** What search learns from a file's bytes: its text and descriptive metadata (EXIF, PDF info). */
export interface ExtractedContent {
  text: string;
  meta: Record<string, string>;
}

const zipSignature = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/**
 * Reads a file as its kind and returns its text, or throws a 400 (CorruptContent) when the
 * bytes are not that kind: every upload is read before anything is stored, so a broken
 * DOCX or PDF is refused whole. Text beyond `maxChars` is not indexed.
 */
export async function extractContent(
  kind: ContentKind,
  bytes: Buffer,
  maxChars: number,
): Promise<ExtractedContent> {
  const extracted = await extractByKind(kind, bytes);
  return { text: extracted.text.slice(0, maxChars), meta: extracted.meta };
}

async function extractByKind(kind: ContentKind, bytes: Buffer): Promise<ExtractedContent> {
  switch (kind) {
    case "docx":
      requireSignature(bytes, zipSignature, "DOCX", "not a ZIP package");
      return {
        text: await guarded("DOCX", async () =>
          (await readers.wordDocument()).extractWordDocument(bytes),
        ),
        meta: {},
      };
    case "xlsx":
      requireSignature(bytes, zipSignature, "XLSX", "not a ZIP package");
      return {
        text: await guarded("XLSX", async () =>
          (await readers.spreadsheet()).extractSpreadsheet(bytes),
        ),
        meta: {},
      };
    case "pdf":
      requireSignature(bytes, Buffer.from("%PDF-"), "PDF", "no %PDF- header");
      return guarded("PDF", async () => (await readers.pdf()).extractPdf(bytes));
    case "text":
      return { text: decodeUtf8(bytes), meta: {} };
    case "jpeg":
      requireSignature(bytes, Buffer.from([0xff, 0xd8, 0xff]), "JPEG", "no JPEG marker");
      return { text: "", meta: await (await readers.image()).extractImage(bytes) };
    case "png":
      requireSignature(
        bytes,
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        "PNG",
        "no PNG signature",
      );
      return { text: "", meta: await (await readers.image()).extractImage(bytes) };
  }
}

function requireSignature(bytes: Buffer, signature: Buffer, kind: string, reason: string): void {
  if (bytes.length < signature.length || !bytes.subarray(0, signature.length).equals(signature))
    throw corruptContent(kind, reason);
}

async function guarded<T>(kind: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw corruptContent(kind, message.split("\n")[0]!.slice(0, 200));
  }
}

function decodeUtf8(bytes: Buffer): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw corruptContent("text", "not UTF-8");
  }
}

import { extractText, getDocumentProxy } from "unpdf";
import type { ExtractedContent } from "./extract-content.js";

/** The text of every page and the document's title, author and subject. */
export async function extractPdf(bytes: Buffer): Promise<ExtractedContent> {
  // A copy: pdf.js takes ownership of (detaches) the array it is given.
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  try {
    const { text } = await extractText(pdf, { mergePages: true });
    const { info } = await pdf.getMetadata().catch(() => ({ info: {} }));
    const meta: Record<string, string> = {};
    for (const [key, name] of [
      ["Title", "title"],
      ["Author", "author"],
      ["Subject", "subject"],
    ] as const) {
      const value = (info as Record<string, unknown>)[key];
      if (typeof value === "string" && value.trim()) meta[name] = value.trim();
    }
    return { text, meta };
  } finally {
    await pdf.destroy();
  }
}

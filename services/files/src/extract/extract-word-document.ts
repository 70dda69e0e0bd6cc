import mammoth from "mammoth";

/** The text of a DOCX (paragraphs, tables, headers as mammoth reads them). */
export async function extractWordDocument(bytes: Buffer): Promise<string> {
  const result = await mammoth.extractRawText({ buffer: bytes });
  return result.value;
}

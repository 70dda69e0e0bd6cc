import { createHash } from "node:crypto";
import { fileTooLarge, unsupportedType } from "../errors.js";
import { extractContent, type ExtractedContent } from "../extract/extract-content.js";
import { badRequest } from "@symbiont/service-kit";
import { contentTypeOf, extensionOf, mediaType } from "./content-types.js";
import type { FilesLimits } from "./files-deps.js";
import { fileNameOf } from "./file-path.js";

export interface PreparedContent extends ExtractedContent {
  contentType: string;
  size: number;
  sha256: string;
}

/**
 * Everything checked before anything is written: the size, the type (allowed, and fitting
 * the name's extension), and the bytes themselves (read as that type: a corrupt DOCX or PDF
 * is a 400 here, so nothing of it is ever stored).
 */
export async function prepareContent(
  limits: FilesLimits & { maxBytes?: number },
  path: string,
  declaredType: string | undefined,
  bytes: Buffer,
): Promise<PreparedContent> {
  const maxBytes = limits.maxBytes ?? limits.maxFileBytes;
  if (bytes.length > maxBytes) throw fileTooLarge(maxBytes);
  const type = mediaType(declaredType);
  const known = contentTypeOf(type);
  if (!known || !limits.allowedTypes.includes(type))
    throw unsupportedType(type, limits.allowedTypes);
  const extension = extensionOf(fileNameOf(path));
  if (!known.extensions.includes(extension))
    throw badRequest(
      "path",
      `the extension ${extension || "(none)"} does not fit ${type} (expected ${known.extensions.join(" or ")})`,
      "ExtensionMismatch",
    );
  const extracted = await extractContent(known.kind, bytes, limits.maxTextChars);
  return {
    ...extracted,
    contentType: type,
    size: bytes.length,
    sha256: createHash("sha256").update(bytes).digest("hex"),
  };
}

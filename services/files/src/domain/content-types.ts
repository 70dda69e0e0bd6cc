// The kinds of file the store accepts, and the file-name extensions each may carry: a
// file is taken only when its declared type is allowed, its name's extension fits that
// type, and its bytes are what the type says (checked by the extractor of its kind).

export type ContentKind = "docx" | "xlsx" | "pdf" | "text" | "jpeg" | "png";

export interface ContentType {
  type: string;
  kind: ContentKind;
  extensions: readonly string[];
}

export const contentTypes: readonly ContentType[] = [
  {
    type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    kind: "docx",
    extensions: [".docx"],
  },
  {
    type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    kind: "xlsx",
    extensions: [".xlsx"],
  },
  { type: "application/pdf", kind: "pdf", extensions: [".pdf"] },
  { type: "text/plain", kind: "text", extensions: [".txt", ".text", ".log"] },
  { type: "text/csv", kind: "text", extensions: [".csv"] },
  { type: "text/markdown", kind: "text", extensions: [".md", ".markdown"] },
  { type: "image/jpeg", kind: "jpeg", extensions: [".jpg", ".jpeg"] },
  { type: "image/png", kind: "png", extensions: [".png"] },
];

export const defaultAllowedTypes = contentTypes.map((c) => c.type);

/** `text/plain; charset=utf-8` -> `text/plain`. */
export function mediaType(header: string | undefined): string {
  return (header ?? "").split(";")[0]!.trim().toLowerCase();
}

export function contentTypeOf(type: string): ContentType | undefined {
  return contentTypes.find((c) => c.type === type);
}

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? "" : name.slice(dot).toLowerCase();
}

import exifr from "exifr";

// EXIF fields worth searching for: who made the picture, with what, what it shows, when.
const fields: Array<[string, string]> = [
  ["Make", "make"],
  ["Model", "model"],
  ["ImageDescription", "description"],
  ["Artist", "artist"],
  ["Copyright", "copyright"],
  ["Software", "software"],
  ["DateTimeOriginal", "takenAt"],
  ["XPTitle", "title"],
  ["XPSubject", "subject"],
  ["XPKeywords", "keywords"],
];

/** EXIF metadata of a JPEG or PNG as strings; an image without EXIF has none. */
export async function extractImage(bytes: Buffer): Promise<Record<string, string>> {
  let tags: Record<string, unknown> | undefined;
  try {
    tags = (await exifr.parse(bytes, {
      tiff: true,
      exif: true,
      gps: false,
      xmp: false,
      icc: false,
      iptc: false,
      jfif: false,
      ihdr: false,
    })) as Record<string, unknown> | undefined;
  } catch {
    // Broken EXIF does not make a broken picture: it is searched by name only.
    return {};
  }
  const meta: Record<string, string> = {};
  for (const [tag, name] of fields) {
    const value = tags?.[tag];
    if (value instanceof Date) meta[name] = value.toISOString();
    else if (typeof value === "string" && value.trim()) meta[name] = value.trim();
  }
  return meta;
}

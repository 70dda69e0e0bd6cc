import { badRequest } from "@symbiont/service-kit";

// A file's path inside its sandbox: relative, `/`-separated, no empty, `.` or `..`
// segments, no control characters (NUL included), no backslashes (Windows separators that
// another tool might follow out of the sandbox). Paths are stored exactly as checked.

const maxPathLength = 1_024;
const maxSegmentLength = 255;
// eslint-disable-next-line no-control-regex
const forbidden = /[\u0000-\u001f\u007f\\]/;

/** Returns the normalised path or throws a 400 naming `field` and what is wrong. */
export function parseFilePath(raw: string, field = "path"): string {
  const path = raw.normalize("NFC");
  if (path.length === 0) throw badRequest(field, "is empty");
  if (path.length > maxPathLength)
    throw badRequest(field, `is longer than ${maxPathLength} characters`);
  if (forbidden.test(path))
    throw badRequest(field, "contains a control character or a backslash", "InvalidPath");
  if (path.startsWith("/"))
    throw badRequest(field, "must be relative to the sandbox", "InvalidPath");
  const segments = path.split("/");
  for (const segment of segments) {
    if (segment === "" || segment === "." || segment === "..")
      throw badRequest(field, `must not contain "${segment || "//"}" segments`, "InvalidPath");
    if (segment.length > maxSegmentLength)
      throw badRequest(field, `has a segment longer than ${maxSegmentLength} characters`);
  }
  return path;
}

/** The last segment: the file's name. */
export function fileNameOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

import { AppError } from "@symbiont/service-kit";

export { AppError, badRequest, conflict, notFound } from "@symbiont/service-kit";

export function unauthenticated(message: string): AppError {
  return new AppError({ status: 401, code: "Unauthenticated", message });
}

export function forbidden(message: string): AppError {
  return new AppError({ status: 403, code: "Forbidden", message });
}

export function fileTooLarge(limit: number): AppError {
  return new AppError({
    status: 413,
    code: "FileTooLarge",
    field: "body",
    message: `body: the file is larger than the ${limit} bytes this store accepts`,
  });
}

export function unsupportedType(type: string, allowed: readonly string[]): AppError {
  return new AppError({
    status: 415,
    code: "UnsupportedType",
    field: "content-type",
    message: `content-type: ${type || "(none)"} is not accepted; accepted: ${allowed.join(", ")}`,
  });
}

/** The bytes are not what their type says (a broken DOCX, a PDF that does not parse). */
export function corruptContent(kind: string, reason: string): AppError {
  return new AppError({
    status: 400,
    code: "CorruptContent",
    field: "body",
    message: `body: not a readable ${kind} file (${reason})`,
  });
}

/** The store is busy or briefly unreachable: the client may try again. */
export function unavailable(message: string): AppError {
  return new AppError({ status: 503, code: "Unavailable", message });
}

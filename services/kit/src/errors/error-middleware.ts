import type { ErrorRequestHandler } from "express";
import type { Logger } from "pino";
import { AppError } from "./app-error.js";

// Body-parser errors carry a `type` and a `status`; they are the client's fault.
interface BodyParserError {
  type: string;
  status: number;
  message: string;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof error === "object" &&
    error !== null &&
    typeof (error as BodyParserError).type === "string" &&
    typeof (error as BodyParserError).status === "number"
  );
}

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (isBodyParserError(error)) {
    if (error.type === "entity.too.large") {
      return new AppError({
        status: 413,
        code: "PayloadTooLarge",
        field: "body",
        message: "body: the request body is larger than the service accepts",
      });
    }
    if (error.status >= 400 && error.status < 500) {
      return new AppError({
        status: 400,
        code: "MalformedBody",
        field: "body",
        message: `body: ${error.type === "entity.parse.failed" ? "not valid JSON" : error.message}`,
      });
    }
  }
  return new AppError({
    status: 500,
    code: "InternalError",
    message: "internal error",
    cause: error,
  });
}

/** The one error middleware: AppError -> JSON answer; anything else -> logged 500. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const appError = toAppError(error);
    if (appError.status >= 500) {
      logger.error({ err: error, method: req.method, path: req.path }, "request failed");
    } else {
      logger.info(
        { code: appError.code, field: appError.field, method: req.method, path: req.path },
        appError.message,
      );
    }
    res.status(appError.status).json({
      error: {
        code: appError.code,
        message: appError.message,
        ...(appError.field === undefined ? {} : { field: appError.field }),
        ...(appError.details === undefined ? {} : { details: appError.details }),
      },
    });
  };
}

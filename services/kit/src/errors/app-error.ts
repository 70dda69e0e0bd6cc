// The one error type of a service: routes and domain code throw it, the error middleware
// turns it into an HTTP answer. `code` is CamelCase and stable (clients and metrics use it);
// `field` names the input that was refused, when there is one.

export interface AppErrorOptions {
  status: number;
  code: string;
  message: string;
  field?: string;
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(options: AppErrorOptions) {
    super(options.message, { cause: options.cause });
    this.name = "AppError";
    this.status = options.status;
    this.code = options.code;
    this.field = options.field;
    this.details = options.details;
  }
}

export function badRequest(field: string, message: string, code = "InvalidInput"): AppError {
  return new AppError({ status: 400, code, field, message: `${field}: ${message}` });
}

export function notFound(what: string): AppError {
  return new AppError({ status: 404, code: "NotFound", message: `${what} does not exist` });
}

export function conflict(message: string, details?: Record<string, unknown>): AppError {
  return new AppError({ status: 409, code: "VersionConflict", message, details });
}

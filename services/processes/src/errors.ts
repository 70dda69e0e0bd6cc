import { AppError } from "@symbiont/service-kit";

export { AppError, badRequest, notFound } from "@symbiont/service-kit";

export function unauthenticated(message: string): AppError {
  return new AppError({ status: 401, code: "Unauthenticated", message });
}

export function forbidden(message: string): AppError {
  return new AppError({ status: 403, code: "Forbidden", message });
}

/** A BPMN document the engine cannot run; `reasons` says why, element by element. */
export function invalidDefinition(reasons: string[]): AppError {
  return new AppError({
    status: 400,
    code: "InvalidDefinition",
    field: "body",
    message: `body: not a process definition this module can run: ${reasons.join("; ")}`,
    details: { reasons },
  });
}

/** The thing exists but is not in a state that allows the call (a task already done). */
export function stateConflict(code: string, message: string): AppError {
  return new AppError({ status: 409, code, message });
}

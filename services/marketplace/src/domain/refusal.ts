import { AppError } from "@symbiont/service-kit";

// Domain refusals the routes and the bus share: the same fact answers 400/404/409 on HTTP
// and becomes a dead letter with its reason on the bus.

export function unknownPartner(id: string, field?: string): AppError {
  return new AppError({
    status: field ? 400 : 404,
    code: "UnknownPartner",
    message: `${field ? `${field}: ` : ""}partner ${id} does not exist`,
    ...(field ? { field } : {}),
  });
}

export function unknownOffer(id: string, field?: string): AppError {
  return new AppError({
    status: field ? 400 : 404,
    code: "UnknownOffer",
    message: `${field ? `${field}: ` : ""}offer ${id} does not exist`,
    ...(field ? { field } : {}),
  });
}

export function unknownOrder(id: string, field?: string): AppError {
  return new AppError({
    status: field ? 400 : 404,
    code: "UnknownOrder",
    message: `${field ? `${field}: ` : ""}order ${id} does not exist`,
    ...(field ? { field } : {}),
  });
}

/** Something that belongs to another partner: the caller is known but may not touch it. */
export function notYours(what: string): AppError {
  return new AppError({
    status: 403,
    code: "Forbidden",
    message: `${what} belongs to another partner`,
  });
}

export function paymentMismatch(message: string): AppError {
  return new AppError({ status: 422, code: "PaymentMismatch", message });
}

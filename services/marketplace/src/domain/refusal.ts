import { AppError } from "@symbiont/service-kit";

// Domain refusals the routes and the bus share: the same fact answers 400/404/409 on HTTP
// and becomes a dead letter with its reason on the bus.

function unknown(what: "Partner" | "Offer" | "Order", id: string, field?: string): AppError {
  return new AppError({
    status: field ? 400 : 404,
    code: `Unknown${what}`,
    message: `${field ? `${field}: ` : ""}${what.toLowerCase()} ${id} does not exist`,
    ...(field ? { field } : {}),
  });
}

/** 404 for the thing a path names; 400 naming the field when a body or event names it. */
export const unknownPartner = (id: string, field?: string) => unknown("Partner", id, field);
export const unknownOffer = (id: string, field?: string) => unknown("Offer", id, field);
export const unknownOrder = (id: string, field?: string) => unknown("Order", id, field);

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

import { timingSafeEqual } from "node:crypto";
import type { RequestHandler } from "express";
import { unauthenticated } from "../errors.js";

/**
 * Event deliveries come from the module's own Dapr sidecar, which sends Dapr's app API token
 * (`dapr-api-token`) when APP_API_TOKEN is set for both. Without it anyone who reaches the
 * port could book a meeting or claim that a contract was stored.
 */
export function requireSidecarToken(token: string | undefined): RequestHandler {
  const expected = token === undefined ? undefined : Buffer.from(token);
  return (req, _res, next) => {
    if (!expected) return next();
    const given = Buffer.from(req.get("dapr-api-token") ?? "");
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    next(unauthenticated("event deliveries are taken only from the module's Dapr sidecar"));
  };
}

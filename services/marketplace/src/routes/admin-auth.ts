import { createHash, timingSafeEqual } from "node:crypto";
import { AppError } from "@symbiont/service-kit";
import type { RequestHandler } from "express";

/**
 * The admin API's gate: `Authorization: Bearer <MARKETPLACE_ADMIN_TOKEN>`, compared in
 * constant time (over digests, so the length does not leak either).
 */
export function adminOnly(token: string): RequestHandler {
  const expected = createHash("sha256").update(token).digest();
  return (req, _res, next) => {
    const header = req.get("authorization");
    if (!header?.startsWith("Bearer "))
      return next(
        new AppError({
          status: 401,
          code: "Unauthorized",
          message: "the admin API needs Authorization: Bearer <admin token>",
        }),
      );
    const given = createHash("sha256").update(header.slice("Bearer ".length)).digest();
    if (!timingSafeEqual(given, expected))
      return next(
        new AppError({
          status: 401,
          code: "Unauthorized",
          message: "the admin token is not valid",
        }),
      );
    next();
  };
}

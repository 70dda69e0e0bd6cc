import { AppError } from "@symbiont/service-kit";
import type { RequestHandler, Response } from "express";
import type { MarketplaceDeps } from "../domain/marketplace-deps.js";
import type { Partner } from "../domain/partner.js";
import { authenticatePartner } from "../domain/partner-keys.js";
import type { KeyedRateLimiter, RateLimit } from "../domain/rate-limiter.js";

/**
 * The partner API's gate: a partner key (`Authorization: Bearer mpk_...`), then that key's
 * rate limit (the partner's own, or the service default). Over it: 429 with Retry-After.
 */
export function partnerOnly(
  deps: MarketplaceDeps,
  limiter: KeyedRateLimiter,
  defaultLimit: RateLimit,
): RequestHandler {
  return async (req, res, next) => {
    const header = req.get("authorization");
    const token = header?.startsWith("Bearer ") ? header.slice("Bearer ".length) : undefined;
    const { partner, keyId } = await authenticatePartner(deps, token);
    const decision = limiter.take(keyId, partner.rateLimit ?? defaultLimit);
    if (!decision.allowed) {
      res.setHeader("retry-after", String(decision.retryAfterSeconds));
      throw new AppError({
        status: 429,
        code: "RateLimited",
        message: `key ${keyId} is over its rate limit; retry in ${decision.retryAfterSeconds} s`,
      });
    }
    res.locals.partner = partner;
    res.locals.keyId = keyId;
    next();
  };
}

/** The partner the request was authenticated as (set by partnerOnly). */
export function partnerOf(res: Response): Partner {
  return res.locals.partner as Partner;
}

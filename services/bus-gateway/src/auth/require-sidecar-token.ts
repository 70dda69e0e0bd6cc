import { createHash, timingSafeEqual } from "node:crypto";
import { appTokenHeader } from "@symbiont/contracts";
import { AppError } from "@symbiont/service-kit";
import type { RequestHandler } from "express";

/**
 * Deliveries (`/events/*`) are taken only from the gateway's own Dapr sidecar: daprd sends
 * Dapr's app API token (`dapr-api-token`, from the Secret `dapr.io/app-token-secret`
 * names) on every call. Anyone else who reaches the port could otherwise post a CloudEvent
 * naming either bus and have it delivered to partners or into the core. Compared in
 * constant time over digests, so neither the token nor its length leaks.
 */
export function requireSidecarToken(token: string): RequestHandler {
  const expected = digest(token);
  return (req, _res, next) => {
    const header = req.get(appTokenHeader);
    if (header === undefined)
      return next(
        new AppError({
          status: 401,
          code: "Unauthenticated",
          message: `deliveries are taken only from the gateway's Dapr sidecar: no ${appTokenHeader} header`,
        }),
      );
    if (!timingSafeEqual(digest(header), expected))
      return next(
        new AppError({
          status: 401,
          code: "Unauthenticated",
          message: `deliveries are taken only from the gateway's Dapr sidecar: the ${appTokenHeader} header is not its token`,
        }),
      );
    next();
  };
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

import { AppError } from "@symbiont/service-kit";
import type { RequestHandler } from "express";
import { describeAction, type AccessReviewer, type AdminAction } from "./admin-access.js";

/**
 * The admin API's gate for one action: `Authorization: Bearer <token>` or 401; a caller
 * RBAC does not allow gets 403 naming the verb and resource to grant; when the reviewer
 * cannot be asked, 503 (never let through).
 */
export function requireAdmin(
  reviewer: AccessReviewer | undefined,
  target: { namespace: string; gateway: string },
  action: AdminAction,
  log: { info(fields: object, message: string): void },
): RequestHandler {
  const what = describeAction(action, target.namespace, target.gateway);
  return (req, _res, next) => {
    if (!reviewer)
      return next(
        new AppError({
          status: 503,
          code: "AdminUnavailable",
          message:
            "the admin API checks callers with the Kubernetes API (or SYMBIONT_ADMIN_TOKEN outside a cluster), and this gateway has neither",
        }),
      );
    const header = req.get("authorization");
    const token = header?.startsWith("Bearer ") ? header.slice("Bearer ".length).trim() : "";
    if (!token)
      return next(
        new AppError({
          status: 401,
          code: "Unauthenticated",
          message: `the admin API needs Authorization: Bearer <token> of a caller allowed to ${what}`,
        }),
      );
    reviewer.review(token, action).then(
      (verdict) => {
        if (verdict.kind === "unauthenticated")
          return next(
            new AppError({ status: 401, code: "Unauthenticated", message: verdict.reason }),
          );
        if (verdict.kind === "forbidden") {
          log.info({ user: verdict.user, action: what }, "admin call refused");
          return next(
            new AppError({
              status: 403,
              code: "Forbidden",
              message: `${verdict.user} may not ${what}: ${verdict.reason}`,
            }),
          );
        }
        if (action.verb !== "get") log.info({ user: verdict.user, action: what }, "admin call");
        next();
      },
      (error: unknown) =>
        next(
          new AppError({
            status: 503,
            code: "AdminUnavailable",
            message: `could not check the caller with ${reviewer.describe}: ${(error as Error).message}`,
          }),
        ),
    );
  };
}

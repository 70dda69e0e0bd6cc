import { createHash, timingSafeEqual } from "node:crypto";
import type { RequestHandler } from "express";
import { forbidden, unauthenticated } from "../errors.js";
import type { Caller, Role } from "./callers.js";

export interface CallerLocals {
  caller: Caller;
}

/** The caller whose token this is; every configured caller is compared, in constant time. */
export function identify(
  callers: readonly Caller[],
  header: string | undefined,
): Caller | undefined {
  const [scheme, token] = (header ?? "").split(" ", 2);
  if (scheme?.toLowerCase() !== "bearer" || !token) return undefined;
  const hash = createHash("sha256").update(token.trim(), "utf8").digest();
  let found: Caller | undefined;
  for (const caller of callers) if (timingSafeEqual(hash, caller.tokenSha256)) found = caller;
  return found;
}

/** 401 without a known caller's token; 403 when `roles` does not include the caller's. */
export function requireCaller(callers: readonly Caller[], ...roles: Role[]): RequestHandler {
  return (req, res, next) => {
    const caller = identify(callers, req.get("authorization"));
    if (!caller) {
      res.set("WWW-Authenticate", 'Bearer realm="symbiont-processes"');
      next(unauthenticated("the processes API needs a caller's token (Authorization: Bearer)"));
      return;
    }
    if (!roles.includes(caller.role)) {
      next(
        forbidden(`${caller.name} is a ${caller.role}; this needs the ${roles.join(" or ")} role`),
      );
      return;
    }
    (res.locals as CallerLocals).caller = caller;
    next();
  };
}

import { createHash, timingSafeEqual } from "node:crypto";
import { AppError } from "@symbiont/service-kit";
import type { RequestHandler } from "express";
import { roleRank, type Caller, type Role } from "./callers.js";

// Every API route but health, metrics and the bus deliveries is for known callers only:
// `Authorization: Bearer <token>`, or Basic with the caller's name and token (so a person can
// open the report page in a browser, which asks for them).

const challenge = 'Basic realm="symbiont-analytics", Bearer realm="symbiont-analytics"';

export interface CallerLocals {
  caller: Caller;
}

function credentials(header: string | undefined): { name?: string; token: string } | undefined {
  if (!header) return undefined;
  const [scheme, value] = header.split(" ", 2);
  if (!value) return undefined;
  if (scheme?.toLowerCase() === "bearer") return { token: value.trim() };
  if (scheme?.toLowerCase() !== "basic") return undefined;
  const decoded = Buffer.from(value, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? undefined : { name: decoded.slice(0, colon), token: decoded.slice(colon + 1) };
}

/** The caller the credentials belong to; every configured caller is compared, in constant time. */
export function identify(
  callers: readonly Caller[],
  header: string | undefined,
): Caller | undefined {
  const given = credentials(header);
  if (!given || given.token === "") return undefined;
  const hash = createHash("sha256").update(given.token, "utf8").digest();
  let found: Caller | undefined;
  for (const caller of callers) {
    if (
      timingSafeEqual(hash, caller.tokenSha256) &&
      (given.name === undefined || given.name === caller.name)
    )
      found = caller;
  }
  return found;
}

/** 401 without known credentials, 403 when the caller's role is below `role`. */
export function requireCaller(callers: readonly Caller[], role: Role): RequestHandler {
  return (req, res, next) => {
    const caller = identify(callers, req.get("authorization"));
    if (!caller) {
      res.set("WWW-Authenticate", challenge);
      next(
        new AppError({
          status: 401,
          code: "Unauthenticated",
          message: "the reports API needs a caller's token (Authorization: Bearer <token>)",
        }),
      );
      return;
    }
    if (roleRank[caller.role] < roleRank[role]) {
      next(
        new AppError({
          status: 403,
          code: "Forbidden",
          message: `${caller.name} is a ${caller.role}; this needs the ${role} role`,
        }),
      );
      return;
    }
    (res.locals as CallerLocals).caller = caller;
    next();
  };
}

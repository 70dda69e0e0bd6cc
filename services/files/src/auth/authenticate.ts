import type { RequestHandler, Response } from "express";
import { unauthenticated } from "../errors.js";
import { verifyAccessToken } from "./access-token.js";
import type { Principal } from "./principal.js";

/** Every API route: `Authorization: Bearer <token>` or 401; the principal goes to res.locals. */
export function authenticate(keys: string[]): RequestHandler {
  return (req, res, next) => {
    const header = req.get("authorization") ?? "";
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(header);
    if (!match) {
      next(unauthenticated("send an access token: Authorization: Bearer <token>"));
      return;
    }
    verifyAccessToken(match[1]!, keys).then((principal) => {
      res.locals.principal = principal;
      next();
    }, next);
  };
}

export function principalOf(res: Response): Principal {
  const principal = res.locals.principal as Principal | undefined;
  if (!principal) throw unauthenticated("no caller identified");
  return principal;
}

import { timingSafeEqual, createHash } from "node:crypto";
import { AppError, conflict, parseInput } from "@symbiont/service-kit";
import { Router, type NextFunction, type Request, type Response } from "express";
import { EmailTaken, type AccountStore } from "../data/account-store.js";
import { newAccountSchema } from "../domain/account.js";

/** `POST /admin/accounts`: accounts with roles (partners, managers), for the admin token only. */
export function adminRoutes(deps: { accounts: AccountStore; adminToken: string }): Router {
  const router = Router();
  const expected = createHash("sha256").update(deps.adminToken).digest();
  const authorised = (req: Request, _res: Response, next: NextFunction) => {
    const token = /^Bearer (.+)$/.exec(req.get("authorization") ?? "")?.[1] ?? "";
    const given = createHash("sha256").update(token).digest();
    if (!token || !timingSafeEqual(given, expected))
      return next(
        new AppError({
          status: 401,
          code: "Unauthorized",
          message: "the admin API takes Authorization: Bearer <SSO_ADMIN_TOKEN>",
        }),
      );
    next();
  };
  router.post("/admin/accounts", authorised, async (req, res) => {
    const input = parseInput(newAccountSchema, req.body, "body");
    try {
      const account = await deps.accounts.create(input);
      const { passwordHash: _hash, ...visible } = account;
      res.status(201).json(visible);
    } catch (error) {
      if (error instanceof EmailTaken) throw conflict(error.message);
      throw error;
    }
  });
  return router;
}

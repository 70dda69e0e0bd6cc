import type { NextFunction, Request, Response } from "express";

/**
 * Refuses a form POST that another site's page sent (Origin not this site's): together with
 * SameSite=Lax cookies, the pages' CSRF protection. Requests without Origin (curl, tests,
 * the JSON API with bearer tokens) are not a browser's cross-site request.
 */
export function sameOrigin(req: Request, res: Response, next: NextFunction): void {
  const origin = req.get("origin");
  if (origin && origin !== `${req.protocol}://${req.get("host")}`) {
    res.status(403).type("text/plain").send("refused: a form from another site");
    return;
  }
  next();
}

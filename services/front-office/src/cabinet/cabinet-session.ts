import type { NextFunction, Request, Response } from "express";
import type { Logger } from "pino";
import { readCookies, signValue, verifySigned } from "../http/signed-cookie.js";
import type { Session, SessionStore } from "./session-store.js";
import type { SsoClient } from "./sso-client.js";

export const sessionCookie = "acme_cabinet";

export interface SessionDeps {
  sessions: SessionStore;
  sso: SsoClient;
  keys: string[];
  secure: boolean;
  logger: Logger;
  now: () => Date;
}

/** The signed-in person of a request (res.locals.session), with tokens refreshed when due. */
export function loadSession(deps: SessionDeps) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const id = verifySigned(readCookies(req.get("cookie")).get(sessionCookie), deps.keys);
    const session = id ? await deps.sessions.find(id, deps.now()) : undefined;
    if (session && session.accessExpiresAt <= deps.now().getTime() + 10_000) {
      res.locals.session = await refreshed(session);
    } else res.locals.session = session;
    next();
  };

  async function refreshed(session: Session): Promise<Session | undefined> {
    if (!session.refreshToken) return session;
    try {
      const tokens = await deps.sso.refresh(session.refreshToken);
      const update = {
        accessToken: tokens.accessToken,
        accessExpiresAt: tokens.accessExpiresAt,
        ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
        ...(tokens.idToken ? { idToken: tokens.idToken } : {}),
      };
      await deps.sessions.update(session.id, update);
      return { ...session, ...update };
    } catch (error) {
      // The SSO refused (signed out there, revoked) or is down: the page still renders from
      // the session; a refused refresh ends the session.
      const refused = (error as { code?: string }).code === "OAUTH_RESPONSE_BODY_ERROR";
      deps.logger.info({ err: (error as Error).message, refused }, "token refresh failed");
      if (refused) {
        await deps.sessions.destroy(session.id);
        return undefined;
      }
      return session;
    }
  }
}

export function setSessionCookie(res: Response, deps: SessionDeps, session: Session): void {
  res.cookie(sessionCookie, signValue(session.id, deps.keys), {
    httpOnly: true,
    sameSite: "lax",
    secure: deps.secure,
    path: "/",
    expires: session.expiresAt,
  });
}

export function sessionOf(res: Response): Session | undefined {
  return res.locals.session as Session | undefined;
}

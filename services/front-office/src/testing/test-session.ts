import type { Session } from "../cabinet/session-store.js";

/** A signed-in session for page tests: who it is, with tokens and times that pages never show. */
export function testSession(who: Pick<Session, "name" | "roles"> & Partial<Session>): Session {
  return {
    id: "s-1",
    subject: "u-1",
    idToken: "",
    accessToken: "",
    accessExpiresAt: 0,
    signedInAt: new Date(0),
    expiresAt: new Date(0),
    ...who,
  };
}

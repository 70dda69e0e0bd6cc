import { describe, expect, it } from "vitest";
import { ssoLoginSchema, ssoLoginTouchpoint } from "./sso-login.js";

const login = {
  sessionId: "7d444840-9dc0-11d1-b245-5ffdce74fad2",
  subject: "u-4711",
  provider: "gosuslugi",
  email: "Maria.Ivanova+shop@Example.com",
  phone: "8 (912) 345-67-89",
  name: "Мария Иванова",
  loggedInAt: "2026-03-01T10:00:00+03:00",
};

describe("sso.login as a touchpoint", () => {
  it("when a person signs in, then the SSO subject is the first key, then the e-mail and phone, one touchpoint per session", () => {
    const touchpoint = ssoLoginTouchpoint(ssoLoginSchema.parse(login), "7");
    expect(touchpoint).toMatchObject({
      id: "sso.login:7d444840-9dc0-11d1-b245-5ffdce74fad2",
      channel: "sso_login",
      occurredAt: "2026-03-01T07:00:00.000Z",
      name: "Мария Иванова",
      keys: ["sso:u-4711", "email:maria.ivanova@example.com", "phone:79123456789"],
    });
  });

  it.each(["email", "password", "social", "gosuslugi"])(
    "when the login came by %s, then the subject's key is the same",
    (provider) => {
      const touchpoint = ssoLoginTouchpoint(
        ssoLoginSchema.parse({ ...login, provider, email: undefined, phone: undefined }),
        "7",
      );
      expect(touchpoint.keys).toEqual(["sso:u-4711"]);
    },
  );

  it.each([
    { what: "no subject", patch: { subject: undefined }, path: "subject" },
    { what: "an unknown provider", patch: { provider: "fax" }, path: "provider" },
    { what: "no time", patch: { loggedInAt: undefined }, path: "loggedInAt" },
    { what: "a malformed e-mail", patch: { email: "maria@" }, path: "email" },
    { what: "a name with digits", patch: { name: "R2D2" }, path: "name" },
  ])("when a login has $what, then it is refused naming $path", ({ patch, path }) => {
    const parsed = ssoLoginSchema.safeParse({ ...login, ...patch });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join("."))).toContain(path);
  });
});

import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { loadSsoConfig } from "./config.js";

const jwk = (kid: string) => ({
  ...generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" }),
  kid,
});
const env = (overrides: Record<string, string | undefined> = {}) => ({
  SYMBIONT_APP_ID: "sso",
  SYMBIONT_PUBSUB_CORPORATE: "acme-corporate-bus",
  DATABASE_URL: "mongodb://127.0.0.1:27017/sso",
  SSO_ISSUER: "https://id.acme.example/",
  SSO_SIGNING_KEYS: JSON.stringify({ keys: [jwk("2026-03"), jwk("2026-01")] }),
  SSO_COOKIE_KEYS: "k".repeat(32) + ",old-" + "o".repeat(32),
  SSO_CLIENTS: JSON.stringify([
    { clientId: "user-cabinet", redirectUris: ["https://cabinet.acme.example/callback"] },
  ]),
  SSO_ADMIN_TOKEN: "a".repeat(24),
  ...overrides,
});

describe("the SSO's configuration", () => {
  it("when it is complete, then keys keep their order (the first signs) and the issuer loses its slash", () => {
    const config = loadSsoConfig(env());
    expect(config.SSO_ISSUER).toBe("https://id.acme.example");
    expect(config.SSO_SIGNING_KEYS.keys.map((k) => k.kid)).toEqual(["2026-03", "2026-01"]);
    expect(config.SSO_COOKIE_KEYS).toHaveLength(2);
    expect(config.SSO_CLIENTS[0]).toMatchObject({ clientId: "user-cabinet", roles: [] });
  });

  it.each([
    ["SSO_SIGNING_KEYS", "change-me", /SSO_SIGNING_KEYS is invalid \(expected JSON/],
    [
      "SSO_SIGNING_KEYS",
      JSON.stringify({ keys: [{ ...jwk("a"), d: undefined }] }),
      /SSO_SIGNING_KEYS\.keys\.0\.d/,
    ],
    [
      "SSO_SIGNING_KEYS",
      JSON.stringify({ keys: [jwk("same"), jwk("same")] }),
      /SSO_SIGNING_KEYS\.keys/,
    ],
    ["SSO_COOKIE_KEYS", "short", /SSO_COOKIE_KEYS\.0/],
    ["SSO_CLIENTS", "[]", /SSO_CLIENTS is invalid/],
    ["SSO_ADMIN_TOKEN", "change-me", /SSO_ADMIN_TOKEN is invalid \(needs 24\+/],
    ["SYMBIONT_PUBSUB_CORPORATE", undefined, /SYMBIONT_PUBSUB_CORPORATE is not set/],
  ])("when %s is %j, then the SSO refuses to start, naming it", (name, value, message) => {
    expect(() => loadSsoConfig(env({ [name]: value }))).toThrow(message);
  });
});

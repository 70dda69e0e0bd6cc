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

const upstreams = (list: unknown[]) => JSON.stringify(list);
const gov = {
  name: "gov",
  kind: "government",
  displayName: "Government services",
  issuer: "https://partner-sim.acme.example/idp/gov/",
  clientId: "acme-sso",
  clientSecretEnv: "SSO_UPSTREAM_GOV_SECRET",
};

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
    ["SSO_UPSTREAMS", "gov", /SSO_UPSTREAMS is invalid \(expected a JSON array/],
    ["SSO_UPSTREAMS", upstreams([{ ...gov, kind: "fax" }]), /SSO_UPSTREAMS\.0\.kind is invalid/],
    [
      "SSO_UPSTREAMS",
      upstreams([{ ...gov, issuer: "not a url" }]),
      /SSO_UPSTREAMS\.0\.issuer is invalid/,
    ],
    [
      "SSO_UPSTREAMS",
      upstreams([{ ...gov, clientSecret: "inline-secret-is-refused" }]),
      /SSO_UPSTREAMS\.0 is invalid \(Unrecognized key: "clientSecret"/,
    ],
    [
      "SSO_UPSTREAMS",
      upstreams([{ ...gov, clientSecretFile: "/var/run/secrets/gov" }]),
      /exactly one of clientSecretEnv, clientSecretFile/,
    ],
    [
      "SSO_UPSTREAMS",
      upstreams([{ ...gov, clientSecretEnv: "SSO_UPSTREAM_MISSING" }]),
      /SSO_UPSTREAMS\.0\.clientSecretEnv is invalid \(SSO_UPSTREAM_MISSING is not set\)/,
    ],
    ["SSO_UPSTREAMS", upstreams([gov, gov]), /SSO_UPSTREAMS is invalid \(names repeat\)/],
    ["SSO_UPSTREAMS", upstreams([{ ...gov, scopes: ["profile"] }]), /scopes must include openid/],
  ])("when %s is %j, then the SSO refuses to start, naming it", (name, value, message) => {
    expect(() =>
      loadSsoConfig(env({ [name]: value, SSO_UPSTREAM_GOV_SECRET: "s".repeat(24) })),
    ).toThrow(message);
  });

  it("when upstreams are listed, then each client secret is read from the variable or file it names", () => {
    const config = loadSsoConfig(
      env({
        SSO_UPSTREAM_GOV_SECRET: "gov-secret-from-a-secret",
        SSO_UPSTREAMS: upstreams([
          gov,
          {
            ...gov,
            name: "social",
            kind: "social",
            displayName: "Social network",
            clientSecretEnv: undefined,
            clientSecretFile: "/var/run/secrets/social/client-secret",
          },
        ]),
      }),
      (path) => (path === "/var/run/secrets/social/client-secret" ? "social-secret\n" : ""),
    );
    expect(config.SSO_UPSTREAMS).toEqual([
      {
        name: "gov",
        kind: "government",
        displayName: "Government services",
        issuer: "https://partner-sim.acme.example/idp/gov",
        clientId: "acme-sso",
        clientSecret: "gov-secret-from-a-secret",
        scopes: ["openid", "profile", "email"],
      },
      expect.objectContaining({ name: "social", clientSecret: "social-secret" }),
    ]);
  });

  it("when no upstream is listed, then there are none", () => {
    expect(loadSsoConfig(env()).SSO_UPSTREAMS).toEqual([]);
  });

  it("when a named file cannot be read, then the SSO refuses to start, naming it", () => {
    expect(() =>
      loadSsoConfig(
        env({
          SSO_UPSTREAMS: upstreams([
            { ...gov, clientSecretEnv: undefined, clientSecretFile: "/nowhere/secret" },
          ]),
        }),
        () => {
          throw new Error("ENOENT");
        },
      ),
    ).toThrow(/SSO_UPSTREAMS\.0\.clientSecretFile is invalid \(\/nowhere\/secret cannot be read\)/);
  });
});

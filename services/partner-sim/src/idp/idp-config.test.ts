import { describe, expect, it } from "vitest";
import { parseIdps } from "./idp-config.js";

const gov = {
  name: "gov",
  kind: "government",
  clients: [
    {
      clientId: "acme-sso",
      clientSecretEnv: "PARTNER_SIM_IDP_GOV_SECRET",
      redirectUris: ["https://id.acme.example/upstream/gov/callback"],
    },
  ],
};
const env = { PARTNER_SIM_IDP_GOV_SECRET: "gov-client-secret-1234" };
const parse = (list: unknown) => parseIdps(JSON.stringify(list), env);

describe("partner-sim's OpenID providers (PARTNER_SIM_IDPS)", () => {
  it("when a provider is listed, then its client's secret is read from the variable it names", () => {
    expect(parse([gov])).toEqual([
      {
        name: "gov",
        kind: "government",
        displayName: "Government services",
        clients: [
          {
            clientId: "acme-sso",
            clientSecret: "gov-client-secret-1234",
            redirectUris: ["https://id.acme.example/upstream/gov/callback"],
          },
        ],
      },
    ]);
  });

  it("when the secret is a mounted file, then it is read from there", () => {
    const client = { ...gov.clients[0], clientSecretEnv: undefined, clientSecretFile: "/s/gov" };
    const idps = parseIdps(
      JSON.stringify([{ ...gov, clients: [client] }]),
      {},
      () => "from-the-file-1234\n",
    );
    expect(idps[0]?.clients[0]?.clientSecret).toBe("from-the-file-1234");
  });

  it("when nothing is listed, then there are none", () => {
    expect(parseIdps(undefined, env)).toEqual([]);
  });

  it.each([
    ["not JSON", "gov", /PARTNER_SIM_IDPS: expected a JSON array/],
    ["an unknown kind", JSON.stringify([{ ...gov, kind: "fax" }]), /PARTNER_SIM_IDPS\.0\.kind/],
    [
      "a secret written inline",
      JSON.stringify([{ ...gov, clients: [{ ...gov.clients[0], clientSecret: "inline" }] }]),
      /PARTNER_SIM_IDPS\.0\.clients\.0: Unrecognized key: "clientSecret"/,
    ],
    [
      "a secret variable that is not set",
      JSON.stringify([
        { ...gov, clients: [{ ...gov.clients[0], clientSecretEnv: "PARTNER_SIM_NOPE" }] },
      ]),
      /PARTNER_SIM_IDPS\.0\.clients\.0\.clientSecretEnv: PARTNER_SIM_NOPE is not set/,
    ],
    [
      "no redirect URI",
      JSON.stringify([{ ...gov, clients: [{ ...gov.clients[0], redirectUris: [] }] }]),
      /PARTNER_SIM_IDPS\.0\.clients\.0\.redirectUris/,
    ],
    ["a name twice", JSON.stringify([gov, gov]), /PARTNER_SIM_IDPS: names repeat/],
  ])("when it has %s, then partner-sim refuses to start, naming it", (_what, text, message) => {
    expect(() => parseIdps(text, env)).toThrow(message);
  });
});

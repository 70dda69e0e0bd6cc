import { parseIdps, startPartnerSim, type PartnerSim } from "@symbiont/partner-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createUpstreamClient,
  UpstreamRefused,
  type UpstreamClient,
  type UpstreamStart,
} from "../../services/sso/src/data/upstream-client.js";

// The SSO as a relying party of partner-sim's real OpenID providers (oidc-provider), over
// HTTP: the code flow with PKCE gives the person's verified claims; a cancelled sign-in, a
// forged or mis-issued ID token, a wrong state and a replayed code are refused.

const redirectUri = "http://127.0.0.1:9/upstream/gov/callback";
const secret = "gov-client-secret-for-tests";
const maria = "RU-PASSPORT-4510-123456";
let sim: PartnerSim;
let gov: UpstreamClient;

beforeAll(async () => {
  sim = await startPartnerSim(
    {
      adminPort: 0,
      host: "127.0.0.1",
      partners: [],
      idps: parseIdps(
        JSON.stringify([
          {
            name: "gov",
            kind: "government",
            clients: [
              { clientId: "acme-sso", clientSecretEnv: "GOV_SECRET", redirectUris: [redirectUri] },
            ],
          },
        ]),
        { GOV_SECRET: secret },
      ),
    },
    { logLevel: "silent" },
  );
  gov = createUpstreamClient({
    name: "gov",
    kind: "government",
    displayName: "Government services",
    issuer: sim.issuer("gov"),
    clientId: "acme-sso",
    clientSecret: secret,
    scopes: ["openid", "profile", "email"],
  });
});

afterAll(async () => {
  await sim?.stop();
});

/** A browser at the provider: follows its redirects, keeps its cookies, presses a button. */
async function atProvider(start: UpstreamStart, button: "login" | "abort", sub?: string) {
  const cookies = new Map<string, string>();
  const go = async (url: string, init: RequestInit = {}) => {
    const answer = await fetch(url, {
      ...init,
      redirect: "manual",
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; "),
      },
    });
    for (const set of answer.headers.getSetCookie()) {
      const [pair] = set.split(";");
      const at = pair!.indexOf("=");
      cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    return answer;
  };
  let answer = await go(start.url);
  const pageUrl = new URL(answer.headers.get("location")!, start.url).href;
  answer = await go(pageUrl);
  expect(answer.status).toBe(200);
  const page = await answer.text();
  answer = await go(`${pageUrl}/${button}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: sub ? `sub=${encodeURIComponent(sub)}` : "",
  });
  answer = await go(new URL(answer.headers.get("location")!, start.url).href);
  expect(answer.status).toBe(303);
  return { page, callback: new URL(answer.headers.get("location")!) };
}

async function refusal(promise: Promise<unknown>): Promise<UpstreamRefused> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UpstreamRefused);
  return error as UpstreamRefused;
}

const setMode = async (mode: string) => {
  const answer = await fetch(`${sim.adminUrl}/admin/idps/gov/mode`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ mode }),
  });
  expect(answer.status).toBe(200);
};

describe("signing in through partner-sim's government provider", () => {
  it("when a test person signs in, then the SSO gets their verified claims with the document-style subject", async () => {
    const start = await gov.start(redirectUri);
    const { page, callback } = await atProvider(start, "login", maria);
    expect(page).toContain("Мария Иванова");
    expect(callback.origin + callback.pathname).toBe(redirectUri);
    const claims = await gov.finish(callback, start);
    expect(claims).toMatchObject({
      iss: sim.issuer("gov"),
      aud: "acme-sso",
      sub: maria,
      name: "Мария Иванова",
      name_verified: true,
      email: "maria.ivanova@example.com",
      email_verified: true,
    });
  });

  it("when the code is used a second time, then the provider refuses it", async () => {
    const start = await gov.start(redirectUri);
    const { callback } = await atProvider(start, "login", "RU-PASSPORT-4511-654321");
    await gov.finish(callback, start);
    const error = await refusal(gov.finish(callback, start));
    expect(error.failure).toBe("Invalid");
    expect(error.message).toMatch(/refused the sign-in code: invalid_grant/);
  });

  it("when the person cancels at the provider, then the sign-in is refused as cancelled", async () => {
    const start = await gov.start(redirectUri);
    const { callback } = await atProvider(start, "abort");
    expect(callback.searchParams.get("error")).toBe("access_denied");
    const error = await refusal(gov.finish(callback, start));
    expect(error.failure).toBe("Denied");
    expect(error.message).toMatch(/cancelled or refused \(the person cancelled the sign-in\)/);
  });

  it("when the answer's state is not the one sent, then it is refused", async () => {
    const start = await gov.start(redirectUri);
    const { callback } = await atProvider(start, "login", maria);
    const error = await refusal(gov.finish(callback, { ...start, state: "another-state" }));
    expect(error.failure).toBe("Invalid");
    expect(error.message).toMatch(/state/);
  });

  it.each([
    ["wrong-issuer", /"iss" claim|unexpected JWT "iss"/],
    ["bad-signature", /signature/i],
  ])("when the provider sends an ID token with a %s, then it is refused", async (mode, reason) => {
    await setMode(mode);
    try {
      const start = await gov.start(redirectUri);
      const { callback } = await atProvider(start, "login", maria);
      const error = await refusal(gov.finish(callback, start));
      expect(error.failure).toBe("Invalid");
      expect(error.message).toMatch(reason);
    } finally {
      await setMode("ok");
    }
  });

  it("when partner-sim's admin API lists its providers, then it shows issuers, clients and test people, never a secret", async () => {
    const answer = await fetch(`${sim.adminUrl}/admin/idps`);
    const text = await answer.text();
    expect(answer.status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({
      idps: [
        {
          name: "gov",
          kind: "government",
          issuer: sim.issuer("gov"),
          mode: "ok",
          clients: [{ clientId: "acme-sso", redirectUris: [redirectUri] }],
          people: expect.arrayContaining([expect.objectContaining({ sub: maria })]),
        },
      ],
    });
    expect(text).not.toContain(secret);
  });

  it("when a mode is not one partner-sim knows, then it is refused naming the field", async () => {
    const answer = await fetch(`${sim.adminUrl}/admin/idps/gov/mode`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ mode: "evil" }),
    });
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain("body.mode");
  });

  it("when the provider is down, then the sign-in cannot start and says so", async () => {
    const nowhere = createUpstreamClient({
      name: "gone",
      kind: "social",
      displayName: "Social network",
      issuer: "http://127.0.0.1:9/idp/social",
      clientId: "acme-sso",
      clientSecret: secret,
      scopes: ["openid"],
    });
    const error = await refusal(nowhere.start(redirectUri));
    expect(error.failure).toBe("Unreachable");
    expect(error.message).toMatch(/Social network does not answer/);
  });
});

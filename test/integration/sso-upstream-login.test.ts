import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ssoUpstreamRedirectUri } from "@symbiont/contracts";
import { parseIdps, startPartnerSim, type PartnerSim } from "@symbiont/partner-sim";
import mongoose, { type Connection } from "mongoose";
import * as oidc from "openid-client";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumPath } from "../../dev/harness/chromium.js";
import { startFerretDb, type FerretDb } from "../../dev/harness/ferretdb.js";
import { freePort } from "../../dev/harness/probe.js";
import { call, startModule, type RunningModule } from "../../dev/stack/service-stack.js";

// Signing in at the ecosystem's SSO through upstream identity providers (MISSION T4): the
// real SSO (its process, FerretDB, a daprd sidecar) and partner-sim's two real OpenID
// providers, a government login and a social network. The test is the browser (cookies per
// host and path, redirects followed, buttons pressed) and the cabinet, an OpenID client of
// the SSO that must end with an ID token for an SSO account.
// The sidecar has no corporate bus here, so each `sso.login` waits in the SSO's outbox,
// where the test reads what would be published.

const run = randomBytes(3).toString("hex");
const cabinetRedirect = "http://127.0.0.1:9/callback";
const adminToken = randomBytes(24).toString("base64url");
const secrets = {
  gov: randomBytes(24).toString("base64url"),
  social: randomBytes(24).toString("base64url"),
};
const maria = "RU-PASSPORT-4510-123456";
let dir: string;
let ferret: FerretDb;
let sim: PartnerSim;
let sso: RunningModule;
let db: Connection;
let cabinet: oidc.Configuration;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "symbiont-sso-upstream-"));
  const ssoPort = await freePort();
  const issuer = `http://127.0.0.1:${ssoPort}`;
  ferret = await startFerretDb({ dir, backend: "sqlite" });
  sim = await startPartnerSim(
    {
      adminPort: 0,
      host: "127.0.0.1",
      partners: [],
      idps: parseIdps(
        JSON.stringify(
          (["gov", "social"] as const).map((name) => ({
            name,
            kind: name === "gov" ? "government" : "social",
            clients: [
              {
                clientId: "acme-sso",
                clientSecretEnv: `SECRET_${name.toUpperCase()}`,
                redirectUris: [ssoUpstreamRedirectUri(issuer, name)],
              },
            ],
          })),
        ),
        { SECRET_GOV: secrets.gov, SECRET_SOCIAL: secrets.social },
      ),
    },
    { logLevel: "silent" },
  );
  const key = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({
    format: "jwk",
  });
  sso = await startModule({
    service: "sso",
    appId: `sso-${run}`,
    dir,
    databaseUrl: `${ferret.uri}sso`,
    pubsubName: `test-${run}-internal-bus`,
    pubsub: "in-memory",
    port: ssoPort,
    env: {
      SYMBIONT_PUBSUB_CORPORATE: `test-${run}-corporate-bus`,
      OUTBOX_RELAY_INTERVAL_MS: "600000",
      LOG_LEVEL: "warn",
      SSO_ISSUER: issuer,
      SSO_SIGNING_KEYS: JSON.stringify({ keys: [{ ...key, kid: "test", alg: "ES256" }] }),
      SSO_COOKIE_KEYS: randomBytes(32).toString("base64url"),
      SSO_ADMIN_TOKEN: adminToken,
      SSO_CLIENTS: JSON.stringify([{ clientId: "user-cabinet", redirectUris: [cabinetRedirect] }]),
      SSO_UPSTREAMS: JSON.stringify([
        {
          name: "gov",
          kind: "government",
          displayName: "Government services",
          issuer: sim.issuer("gov"),
          clientId: "acme-sso",
          clientSecretEnv: "SSO_UPSTREAM_GOV_SECRET",
        },
        {
          name: "social",
          kind: "social",
          displayName: "Social network",
          issuer: sim.issuer("social"),
          clientId: "acme-sso",
          clientSecretEnv: "SSO_UPSTREAM_SOCIAL_SECRET",
        },
      ]),
      SSO_UPSTREAM_GOV_SECRET: secrets.gov,
      SSO_UPSTREAM_SOCIAL_SECRET: secrets.social,
    },
  });
  cabinet = await oidc.discovery(new URL(issuer), "user-cabinet", undefined, oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
  db = await mongoose.createConnection(`${ferret.uri}sso`).asPromise();
});

afterAll(async () => {
  await db?.close();
  await sim?.stop();
  await sso?.stop();
  await ferret?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A browser: cookies by host and path (as a browser keeps them: ports do not separate them). */
class Browser {
  readonly #cookies = new Map<string, { value: string; host: string; path: string }>();

  async go(url: string, init: { method?: string; form?: Record<string, string> } = {}) {
    const target = new URL(url);
    const cookie = [...this.#cookies.values()]
      .filter((c) => c.host === target.hostname && target.pathname.startsWith(c.path))
      .map((c) => c.value)
      .join("; ");
    const answer = await fetch(target, {
      method: init.method ?? "GET",
      redirect: "manual",
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(init.form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    for (const set of answer.headers.getSetCookie()) {
      const [pair, ...attributes] = set.split(";").map((part) => part.trim());
      const name = pair!.slice(0, pair!.indexOf("="));
      const path = attributes.find((a) => a.toLowerCase().startsWith("path="))?.slice(5) ?? "/";
      const gone =
        pair!.endsWith("=") ||
        attributes.some((a) => /^max-age=0$|^expires=thu, 01 jan 1970/i.test(a));
      const id = `${target.hostname} ${path} ${name}`;
      if (gone) this.#cookies.delete(id);
      else this.#cookies.set(id, { value: pair!, host: target.hostname, path });
    }
    const location = answer.headers.get("location");
    return {
      status: answer.status,
      location: location ? new URL(location, target).href : undefined,
      body: await answer.text(),
    };
  }

  /** Follows redirects until a page answers, or the browser is sent to `stopAt`. */
  async follow(url: string, stopAt?: string) {
    let answer = await this.go(url);
    while (answer.location && !(stopAt && answer.location.startsWith(stopAt)))
      answer = await this.go(answer.location);
    return answer;
  }
}

interface SignInAttempt {
  browser: Browser;
  signInPage: string;
  checks: { codeVerifier: string; state: string; nonce: string };
}

/** The cabinet sends a fresh browser to the SSO; it lands on the SSO's sign-in page. */
async function openSignIn(): Promise<SignInAttempt & { page: string }> {
  const browser = new Browser();
  const checks = {
    codeVerifier: oidc.randomPKCECodeVerifier(),
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
  };
  const url = oidc.buildAuthorizationUrl(cabinet, {
    redirect_uri: cabinetRedirect,
    scope: "openid email profile roles",
    code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
    code_challenge_method: "S256",
    state: checks.state,
    nonce: checks.nonce,
  });
  const sent = await browser.go(url.href);
  const signInPage = sent.location!;
  const page = await browser.go(signInPage);
  expect(page.status).toBe(200);
  return { browser, signInPage, checks, page: page.body };
}

/**
 * Presses the upstream's button at the SSO, then at the upstream chooses a test person (or
 * cancels); returns where the upstream sends the browser back (the SSO's callback).
 */
async function atUpstream(
  attempt: SignInAttempt,
  upstream: "gov" | "social",
  choice: { sub: string } | "cancel",
): Promise<string> {
  const started = await attempt.browser.go(`${attempt.signInPage}/upstream/${upstream}`, {
    method: "POST",
  });
  expect(started.status).toBe(303);
  expect(started.location!.startsWith(`${sim.issuer(upstream)}/auth?`)).toBe(true);
  const sent = await attempt.browser.go(started.location!);
  const page = await attempt.browser.go(sent.location!);
  expect(page.status).toBe(200);
  const base = sent.location!;
  const pressed =
    choice === "cancel"
      ? await attempt.browser.go(`${base}/abort`, { method: "POST" })
      : await attempt.browser.go(`${base}/login`, { method: "POST", form: { sub: choice.sub } });
  expect(pressed.status).toBe(303);
  const back = await attempt.browser.go(pressed.location!);
  expect(back.status).toBe(303);
  expect(back.location!.startsWith(`${sso.url}/upstream/${upstream}/callback?`)).toBe(true);
  return back.location!;
}

/** Back at the SSO: follows it to the cabinet (then the ID token's claims) or to a page. */
async function backAtSso(attempt: SignInAttempt, callback: string) {
  const answer = await attempt.browser.follow(callback, cabinetRedirect);
  if (!answer.location) return { page: answer };
  const tokens = await oidc.authorizationCodeGrant(cabinet, new URL(answer.location), {
    pkceCodeVerifier: attempt.checks.codeVerifier,
    expectedState: attempt.checks.state,
    expectedNonce: attempt.checks.nonce,
    idTokenExpected: true,
  });
  return { idToken: tokens.id_token!, claims: tokens.claims()! };
}

async function signInThrough(upstream: "gov" | "social", sub: string) {
  const attempt = await openSignIn();
  const result = await backAtSso(attempt, await atUpstream(attempt, upstream, { sub }));
  if (!result.claims)
    throw new Error(`sign-in refused: ${result.page?.status} ${result.page?.body}`);
  return result as { idToken: string; claims: oidc.IDToken };
}

const stored = async () => ({
  accounts: await db.collection("sso_accounts").countDocuments(),
  identities: await db.collection("sso_upstream_identities").countDocuments(),
});

async function logins(subject: string) {
  const rows = await db.collection("outbox").find({ topic: "sso.login" }).toArray();
  return rows
    .map((row) => row.data as Record<string, unknown>)
    .filter((d) => d.subject === subject);
}

async function createAccount(email: string, name: string, roles?: string[]): Promise<string> {
  const created = await call<{ subject: string }>(
    "POST",
    `${sso.url}/admin/accounts`,
    { email, name, password: "a-long-password-1", ...(roles ? { roles } : {}) },
    { authorization: `Bearer ${adminToken}` },
  );
  expect(created.status).toBe(201);
  return created.body.subject;
}

describe("signing in at the SSO through upstream providers", () => {
  it("when the sign-in page opens, then it offers each upstream as a button", async () => {
    const { page } = await openSignIn();
    expect(page).toMatch(/data-upstream="gov"[^>]*>\s*Government services/);
    expect(page).toMatch(/data-upstream="social"[^>]*>\s*Social network/);
  });

  it("when a person signs in through the government login, then the cabinet gets an ID token for a new SSO account and sso.login names the upstream", async () => {
    const before = await stored();
    const { claims } = await signInThrough("gov", maria);
    expect(claims).toMatchObject({
      iss: sso.url,
      aud: "user-cabinet",
      name: "Мария Иванова",
      email: "maria.ivanova@example.com",
      email_verified: true,
      roles: ["customer"],
    });
    expect(claims.sub).not.toBe(maria);
    expect(await stored()).toEqual({
      accounts: before.accounts + 1,
      identities: before.identities + 1,
    });
    const identity = await db
      .collection("sso_upstream_identities")
      .findOne({ issuer: sim.issuer("gov"), sub: maria });
    expect(identity).toMatchObject({ upstream: "gov", accountId: claims.sub });
    expect(await logins(claims.sub)).toEqual([
      expect.objectContaining({
        provider: "gosuslugi",
        upstream: { name: "gov", issuer: sim.issuer("gov") },
        name: "Мария Иванова",
      }),
    ]);
  });

  it("when the same government subject signs in again, then it is the same account", async () => {
    const first = await signInThrough("gov", maria);
    const before = await stored();
    const again = await signInThrough("gov", maria);
    expect(again.claims.sub).toBe(first.claims.sub);
    expect(await stored()).toEqual(before);
    expect((await logins(first.claims.sub)).length).toBeGreaterThanOrEqual(2);
  });

  it("when a government login gives no e-mail, then the new account has none", async () => {
    const { claims } = await signInThrough("gov", "RU-PASSPORT-4511-654321");
    expect(claims.name).toBe("Пётр Петров");
    expect(claims.email).toBeUndefined();
  });

  it("when the account an identity is linked to was removed, then the identity gets a new one and keeps it", async () => {
    const first = await signInThrough("gov", "RU-PASSPORT-4511-654321");
    await db.collection("sso_accounts").deleteOne({ _id: first.claims.sub as never });
    const second = await signInThrough("gov", "RU-PASSPORT-4511-654321");
    const third = await signInThrough("gov", "RU-PASSPORT-4511-654321");
    expect(second.claims.sub).not.toBe(first.claims.sub);
    expect(third.claims.sub).toBe(second.claims.sub);
  });

  it("when a social sign-in's verified e-mail is an account's, then it signs in to that account", async () => {
    const subject = await createAccount("anna.smirnova@example.com", "Anna Smirnova");
    const before = await stored();
    const { claims } = await signInThrough("social", "1000001");
    expect(claims.sub).toBe(subject);
    expect(await stored()).toEqual({ ...before, identities: before.identities + 1 });
    expect(await logins(subject)).toEqual([
      expect.objectContaining({
        provider: "social",
        upstream: { name: "social", issuer: sim.issuer("social") },
      }),
    ]);
  });

  it("when a social sign-in's verified e-mail is a manager's account, then it is refused and nothing is stored", async () => {
    const subject = await createAccount("vera.kuznetsova@example.com", "Vera Kuznetsova", [
      "manager",
    ]);
    const before = await stored();
    const attempt = await openSignIn();
    const result = await backAtSso(
      attempt,
      await atUpstream(attempt, "social", { sub: "1000003" }),
    );
    expect(result.claims).toBeUndefined();
    expect(result.page?.status).toBe(409);
    expect(result.page?.body).toContain(
      "The account of vera.kuznetsova@example.com has manager rights: sign in to it with its e-mail and password.",
    );
    expect(await stored()).toEqual(before);
    expect(await logins(subject)).toEqual([]);
  });

  it("when a social e-mail is not verified, then it never joins the account with that address", async () => {
    const subject = await createAccount("boris.orlov@example.com", "Boris Orlov");
    const before = await stored();
    const { claims } = await signInThrough("social", "1000002");
    expect(claims.sub).not.toBe(subject);
    expect(claims.email).toBeUndefined();
    expect(await stored()).toEqual({
      accounts: before.accounts + 1,
      identities: before.identities + 1,
    });
  });
});

describe("in a real browser (headless Debian chromium)", () => {
  it("when a person presses the government button and chooses themselves, then the cabinet is sent a code for their SSO account", async () => {
    const first = await signInThrough("gov", maria);
    const browser = await chromium.launch({
      executablePath: chromiumPath(),
      args: ["--no-sandbox"],
    });
    try {
      const page = await browser.newPage();
      // The cabinet's callback: the browser arrives there with the code.
      let arrived: URL | undefined;
      await page.route(`${cabinetRedirect}**`, async (route) => {
        arrived = new URL(route.request().url());
        await route.fulfill({ contentType: "text/html", body: "<h1>Cabinet</h1>" });
      });
      const checks = {
        codeVerifier: oidc.randomPKCECodeVerifier(),
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
      };
      const url = oidc.buildAuthorizationUrl(cabinet, {
        redirect_uri: cabinetRedirect,
        scope: "openid email profile",
        code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: "S256",
        state: checks.state,
        nonce: checks.nonce,
      });
      await page.goto(url.href);
      await page.getByRole("button", { name: "Government services" }).click();
      await page.getByRole("button", { name: /Мария Иванова/ }).click();
      await page.getByRole("heading", { name: "Cabinet" }).waitFor();
      const tokens = await oidc.authorizationCodeGrant(cabinet, arrived!, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
      expect(tokens.claims()).toMatchObject({ sub: first.claims.sub, name: "Мария Иванова" });
    } finally {
      await browser.close();
    }
  });
});

describe("refused upstream sign-ins", () => {
  const setMode = async (mode: string) => {
    const answer = await call("PUT", `${sim.adminUrl}/admin/idps/gov/mode`, { mode });
    expect(answer.status).toBe(200);
  };

  /** A refusal: a page with the message, the status, and nothing stored. */
  async function refused(
    attempt: () => Promise<{ status: number; body: string }>,
    status: number,
    message: RegExp,
  ) {
    const before = await stored();
    const page = await attempt();
    expect({ status: page.status, message: page.body }).toEqual({
      status,
      message: expect.stringMatching(message),
    });
    expect(page.body).toContain("<h1>");
    expect(await stored()).toEqual(before);
  }

  it("when the callback has no state, then it is refused", async () => {
    await refused(
      () => new Browser().go(`${sso.url}/upstream/gov/callback?code=stolen-code`),
      400,
      /has no state, so it cannot be matched to a sign-in started here/,
    );
  });

  it("when the callback's state is not the one this browser was given, then it is refused", async () => {
    await refused(
      async () => {
        const attempt = await openSignIn();
        const callback = new URL(await atUpstream(attempt, "gov", { sub: maria }));
        callback.searchParams.set("state", "a-state-from-elsewhere");
        return (await backAtSso(attempt, callback.href)).page!;
      },
      400,
      /does not match a sign-in started in this browser \(wrong state\)/,
    );
  });

  it("when the callback comes in another browser, then it is refused", async () => {
    await refused(
      async () => {
        const attempt = await openSignIn();
        const callback = await atUpstream(attempt, "gov", { sub: maria });
        return new Browser().go(callback);
      },
      400,
      /does not match a sign-in started in this browser/,
    );
  });

  it("when the person cancels at the upstream, then the sign-in is refused as cancelled", async () => {
    await refused(
      async () => {
        const attempt = await openSignIn();
        return (await backAtSso(attempt, await atUpstream(attempt, "gov", "cancel"))).page!;
      },
      401,
      /The sign-in at Government services was cancelled or refused/,
    );
  });

  it("when a callback is used a second time, then it is refused", async () => {
    const attempt = await openSignIn();
    const callback = await atUpstream(attempt, "gov", { sub: maria });
    await backAtSso(attempt, callback);
    await refused(
      async () => {
        // The same browser, its state cookie given again as a replaying attacker would.
        const cookieState = new URL(callback).searchParams.get("state")!;
        const answer = await fetch(callback, {
          redirect: "manual",
          headers: { cookie: `sso_upstream_state=${cookieState}` },
        });
        return { status: answer.status, body: await answer.text() };
      },
      400,
      /has expired or was used already/,
    );
  });

  it.each([
    ["wrong-issuer", /The answer from Government services failed a check/],
    ["bad-signature", /The answer from Government services failed a check/],
  ])("when the upstream sends an ID token with a %s, then it is refused", async (mode, message) => {
    await setMode(mode);
    try {
      await refused(
        async () => {
          const attempt = await openSignIn();
          return (await backAtSso(attempt, await atUpstream(attempt, "gov", { sub: maria }))).page!;
        },
        401,
        message,
      );
    } finally {
      await setMode("ok");
    }
  });

  it("when an unknown upstream is named, then the sign-in and the callback say so", async () => {
    await refused(
      async () => {
        const attempt = await openSignIn();
        return attempt.browser.go(`${attempt.signInPage}/upstream/myspace`, { method: "POST" });
      },
      404,
      /There is no sign-in provider named &#34;myspace&#34;/,
    );
    await refused(
      () => new Browser().go(`${sso.url}/upstream/myspace/callback?code=x&state=y`),
      404,
      /There is no sign-in provider named &#34;myspace&#34;/,
    );
  });
});

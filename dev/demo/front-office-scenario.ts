// The demo's front-office scene: an account at the ecosystem's SSO, the catalog that MDM
// published shown by the site and the cabinet (through the gateway's catalog-out route), and
// one sign-in through the SSO as a browser makes it (authorization code + PKCE), which
// reaches CRM as `sso.login`; then one through the government login upstream of the SSO
// (partner-sim's OpenID provider), with a test person's verified name and e-mail.

import { idpPeople } from "../../services/partner-sim/src/idp/idp-people.js";

interface ScenarioOptions {
  siteUrl: string;
  cabinetUrl: string;
  ssoUrl: string;
  ssoAdminToken: string;
  crmUrl: string;
  log: (line: string) => void;
}

export const demoAccount = {
  email: "customer@acme.example",
  password: "demo-password-1",
  name: "Demo Customer",
};

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const found = await probe().catch(() => undefined);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`front office: ${what} within a minute`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** A browser's walk through redirects, with a cookie jar per host (no JavaScript needed). */
export function browserLike() {
  const jars = new Map<string, Map<string, string>>();
  return async function go(
    url: string,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<{ url: string; body: string }> {
    let current = new URL(url);
    let method = init.method ?? "GET";
    let body: string | undefined = init.form
      ? new URLSearchParams(init.form).toString()
      : undefined;
    for (let hops = 0; hops < 20; hops++) {
      const jar = jars.get(current.host) ?? new Map<string, string>();
      jars.set(current.host, jar);
      const response = await fetch(current, {
        method,
        redirect: "manual",
        headers: {
          cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; "),
          ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}),
        },
        body,
      });
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(";");
        const eq = pair!.indexOf("=");
        const [name, value] = [pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim()];
        if (value && !/expires=Thu, 01 Jan 1970/i.test(line)) jar.set(name, value);
        else jar.delete(name);
      }
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location) {
        current = new URL(location, current);
        method = "GET";
        body = undefined;
        continue;
      }
      return { url: current.href, body: await response.text() };
    }
    throw new Error(`too many redirects from ${url}`);
  };
}

export async function runFrontOfficeScenario(opts: ScenarioOptions): Promise<void> {
  const { log } = opts;
  const created = await fetch(`${opts.ssoUrl}/admin/accounts`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${opts.ssoAdminToken}`,
    },
    body: JSON.stringify({ ...demoAccount, roles: ["customer"] }),
  });
  if (created.status !== 201) throw new Error(`SSO account: HTTP ${created.status}`);
  log(`SSO: account ${demoAccount.email} created (admin API)`);

  const items = await until("the catalog did not reach the cabinet", async () => {
    const answer = (await (await fetch(`${opts.cabinetUrl}/api/v1/catalog`)).json()) as {
      items: { name: string }[];
    };
    return answer.items.length > 0 ? answer.items : undefined;
  });
  log(
    `Site and cabinet: ${items.length} item(s) from MDM's catalog (mdm.item.changed through the gateway's catalog-out route), e.g. "${items[0]!.name}"`,
  );

  const go = browserLike();
  const signInPage = await go(`${opts.cabinetUrl}/login`);
  const action = /action="(\/interaction\/[^"]+\/login)"/.exec(signInPage.body)?.[1];
  if (!action) throw new Error(`the SSO's sign-in page has no form (${signInPage.url})`);
  const cabinet = await go(new URL(action, signInPage.url).href, {
    method: "POST",
    form: { email: demoAccount.email, password: demoAccount.password },
  });
  const greeting = /<h1>([^<]+)<\/h1>/.exec(cabinet.body)?.[1];
  log(`Cabinet: signed in through the SSO (code + PKCE), the page says "${greeting}"`);

  const profile = await until("the sign-in did not reach CRM", async () => {
    const answer = await fetch(
      `${opts.crmUrl}/customers?email=${encodeURIComponent(demoAccount.email)}`,
    );
    const found = (await answer.json()) as { customers?: { id: string; keys: string[] }[] };
    const first = found.customers?.[0];
    return first?.keys.some((k) => k.startsWith("sso:")) ? first : undefined;
  });
  log(`CRM: sso.login linked to profile ${profile.id} by its key sso:<subject>`);

  // Another browser signs in with the government login: the SSO's button, then the test
  // person at partner-sim's provider; the SSO makes (or finds) the account and the cabinet
  // gets its code as with a password.
  const gov = browserLike();
  const govSignIn = await gov(`${opts.cabinetUrl}/login`);
  const button = /action="(\/interaction\/[^"]+\/upstream\/gov)"/.exec(govSignIn.body)?.[1];
  if (!button)
    throw new Error(`the SSO's sign-in page has no government button (${govSignIn.url})`);
  const govPage = await gov(new URL(button, govSignIn.url).href, { method: "POST" });
  const choose = /action="(\/idp\/gov\/interaction\/[^"]+\/login)"/.exec(govPage.body)?.[1];
  if (!choose) throw new Error(`the government login shows no test people (${govPage.url})`);
  const govCabinet = await gov(new URL(choose, govPage.url).href, {
    method: "POST",
    form: { sub: govPerson.sub },
  });
  const govGreeting = /<h1>([^<]+)<\/h1>/.exec(govCabinet.body)?.[1];
  log(
    `Cabinet: signed in through the government login (an OpenID provider upstream of the SSO), the page says "${govGreeting}"`,
  );
  const govProfile = await until("the government sign-in did not reach CRM", async () => {
    const answer = await fetch(
      `${opts.crmUrl}/customers?email=${encodeURIComponent(govPerson.email!)}`,
    );
    const found = (await answer.json()) as { customers?: { id: string; keys: string[] }[] };
    const first = found.customers?.[0];
    return first?.keys.some((k) => k.startsWith("sso:")) ? first : undefined;
  });
  log(`CRM: the government sign-in's sso.login linked to profile ${govProfile.id} (sso:<subject>)`);
}

/** The first test person of partner-sim's government login, who has a verified e-mail. */
const govPerson = idpPeople.government.find((person) => person.email && person.emailVerified)!;

import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mongoose from "mongoose";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumPath } from "../../dev/harness/chromium.js";
import { waitUntil } from "../../dev/harness/probe.js";
import { repoRoot } from "../../dev/harness/tool-paths.js";
import {
  startFrontOfficeStack,
  type FrontOfficeStack,
} from "../../dev/stack/front-office-stack.js";
import { call } from "../../dev/stack/service-stack.js";
import { offerSuggested } from "../../services/analytics/src/events/published-topics.js";
import type { FileVersion } from "../../services/files/src/domain/file-version.js";
import type { Sandbox } from "../../services/files/src/domain/sandbox.js";
import { fileShared, fileStored } from "../../services/files/src/events/files-topics.js";
import { createRecordStore } from "../../services/front-office/src/cabinet-data/record-store.js";
import { applyTransition } from "../../services/marketplace/src/domain/order-machine.js";
import type { Order } from "../../services/marketplace/src/domain/order.js";
import {
  orderCreated,
  orderPaid,
  orderStatusChanged,
} from "../../services/marketplace/src/events/order-events.js";
import { offerChanged } from "../../services/marketplace/src/events/offer-events.js";
import { requestRefused } from "../../services/marketplace/src/events/refusal-events.js";
import { sampleOffer } from "../../services/marketplace/src/testing/sample-offer.js";
import { sampleOrder } from "../../services/marketplace/src/testing/sample-order.js";
import { checkAccessibility, fitsThePhone } from "../support/page-audit.js";
import { eventually } from "../support/kube.js";

// The front office in a real browser (headless Debian chromium driven by playwright-core) on
// real components: MDM, CRM, the bus gateway with the samples' routes, the SSO, the user
// cabinet and the site, each with its daprd sidecar on Redis and its database on FerretDB.
// A visitor browses the catalog that MDM published, accepts cookies and asks for a call back;
// a person signs up and in through the SSO and sees the cabinet; CRM links each sign-in by the
// SSO subject, also one made while CRM was down. Screenshots go to docs/screenshots.

const dir = mkdtempSync(join(tmpdir(), "symbiont-front-office-"));
const screenshots = join(repoRoot, "docs", "screenshots");
let stack: FrontOfficeStack;
let browser: Browser;
let itemId: string;
const stamp = Date.now().toString(36);
const itemName = `Corner sofa ${stamp}`;

interface Profile {
  id: string;
  keys: string[];
  names: string[];
  consent: { cookies?: { granted: boolean } };
}

beforeAll(async () => {
  const executablePath = chromiumPath();
  stack = await startFrontOfficeStack({ dir });
  // Root (as in CI containers) cannot use chromium's sandbox.
  browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
  const created = await call<{ id: string }>("POST", `${stack.mdm.url}/items`, {
    sku: `SOFA-${stamp}`,
    name: itemName,
    description: "Four seats, grey",
    category: "furniture",
    status: "active",
    price: { amount: 899, currency: "EUR" },
  });
  expect(created.status).toBe(201);
  itemId = created.body.id;
  mkdirSync(screenshots, { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Polls a page until `text` shows (what crosses the buses arrives a moment later). */
async function reloadUntil(page: Page, url: string, text: string): Promise<void> {
  await waitUntil(
    `${url} shows "${text}"`,
    async () => {
      await page.goto(url);
      return (await page.content()).includes(text);
    },
    { timeoutMs: 60_000 },
  );
}

async function crmProfile(query: string): Promise<Profile | undefined> {
  const found = await call<{ customers: Profile[] }>(
    "GET",
    `${stack.crm().url}/customers?${query}`,
  );
  return found.status === 200 ? found.body.customers[0] : undefined;
}

async function signUp(page: Page, name: string, email: string, password: string) {
  await page.goto(stack.cabinet.url);
  await page.getByRole("link", { name: "Sign in with Acme ID" }).click();
  await page.getByRole("link", { name: "Create one" }).click();
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole("button", { name: "Create the account and sign in" }).click();
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto(stack.cabinet.url);
  await page.getByRole("link", { name: "Sign in with Acme ID" }).click();
  expect(page.url().startsWith(stack.sso.url)).toBe(true);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

describe("the main site (F1)", () => {
  it("when MDM publishes an item, then the site's catalog shows it; a visitor who accepts cookies asks for a call back and CRM records it", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await reloadUntil(page, stack.site.url, itemName);
    expect(await page.content()).toContain("Catalog as of");
    await checkAccessibility(page);
    await fitsThePhone(page);
    await page.screenshot({ path: join(screenshots, "site-catalog.png"), fullPage: true });
    await page.getByRole("button", { name: "Accept" }).click();
    expect(await page.getByRole("button", { name: "Accept" }).count()).toBe(0);
    await page.getByRole("link", { name: itemName }).click();
    expect(await page.locator("h1").textContent()).toBe(itemName);
    expect(await page.content()).toContain("899.00 EUR");
    const phone = `+7 912 ${String(Date.now()).slice(-7)}`;
    await page.getByLabel("Your name").fill("Ivan Petrov");
    await page.getByLabel("Phone").fill(phone);
    await page.getByLabel(/You may send me SMS/).check();
    await page.getByRole("button", { name: "Call me back" }).click();
    expect(await page.getByRole("status").textContent()).toContain("a manager will call you back");
    await checkAccessibility(page);
    await page.screenshot({ path: join(screenshots, "site-item.png"), fullPage: true });
    const digits = phone.replace(/\D/g, "");
    await waitUntil("CRM has the call-back request", async () =>
      Boolean(await crmProfile(`phone=${encodeURIComponent(`+${digits}`)}`)),
    );
    await page.close();
  });

  it("when a call-back form has no phone, then the site says what to fix and sends nothing", async () => {
    const answer = await fetch(`${stack.site.url}/items/${itemId}/call-back`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "name=Ivan&phone=call+me",
    });
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain("Enter a phone number");
    const forged = await fetch(`${stack.site.url}/items/${itemId}/call-back`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: "https://evil.example",
      },
      body: "name=Ivan&phone=%2B79120000000",
    });
    expect(forged.status).toBe(403);
  });
});

describe("the cookie banner's choice in CRM (F1, C2)", () => {
  const profilesOf = async (cookieId: string) => {
    const found = await call<{ customers: Profile[] }>(
      "GET",
      `${stack.crm().url}/customers?cookieId=${encodeURIComponent(cookieId)}`,
    );
    return found.status === 200 ? found.body.customers : [];
  };

  it("when a visitor accepts cookies and later refuses them on the cookie settings, then CRM's profiles of that browser show consent.cookies as chosen", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(stack.site.url);
    await page.getByRole("button", { name: "Accept" }).click();
    const visitor = (await context.cookies()).find((c) => c.name === "acme_visitor")?.value;
    expect(visitor).toBeTruthy();
    await waitUntil("CRM has the acceptance", async () => {
      const profiles = await profilesOf(visitor!);
      return profiles.length > 0 && profiles.every((p) => p.consent.cookies?.granted === true);
    });
    await page.getByRole("link", { name: "Cookies" }).click();
    expect(await page.getByRole("status").textContent()).toContain("You accepted");
    await page.getByRole("button", { name: "Refuse" }).click();
    expect(await page.getByRole("status").textContent()).toContain("You refused");
    await checkAccessibility(page);
    await fitsThePhone(page);
    await page.screenshot({ path: join(screenshots, "site-cookies.png"), fullPage: true });
    expect((await context.cookies()).some((c) => c.name === "acme_visitor")).toBe(false);
    await waitUntil("CRM has the withdrawal on every profile of the browser", async () => {
      const profiles = await profilesOf(visitor!);
      return profiles.length > 0 && profiles.every((p) => p.consent.cookies?.granted === false);
    });
    await context.close();
  });

  it("when the choice or the consent is not one CRM knows, then the site and CRM answer 400 naming the field", async () => {
    const site = await fetch(`${stack.site.url}/consent`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "choice=maybe",
    });
    expect(site.status).toBe(400);
    expect(await site.text()).toContain("choice: choose one of accept, refuse");
    const crm = await call<{ error: { field: string } }>("POST", `${stack.crm().url}/touchpoints`, {
      channel: "cookie",
      identity: { cookieId: "c-bad" },
      consent: { cookies: "yes" },
    });
    expect(crm.status).toBe(400);
    expect(crm.body.error.field).toBe("body.consent.cookies");
  });
});

describe("the landing-page wizard (F2)", () => {
  it("when a price changes in MDM, then the product's and the group's landing pages show it", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await reloadUntil(page, `${stack.landing.url}/products/${itemId}`, "899.00 EUR");
    await checkAccessibility(page);
    await fitsThePhone(page);
    await page.screenshot({ path: join(screenshots, "landing.png"), fullPage: true });
    const current = await call<Record<string, unknown>>("GET", `${stack.mdm.url}/items/${itemId}`);
    const { id: _id, createdAt: _c, updatedAt: _u, ...fields } = current.body;
    const updated = await call("PUT", `${stack.mdm.url}/items/${itemId}`, {
      ...fields,
      price: { amount: 749, currency: "EUR" },
    });
    expect(updated.status).toBe(200);
    await reloadUntil(page, `${stack.landing.url}/products/${itemId}`, "749.00 EUR");
    expect(await page.locator("[data-price]").textContent()).toBe("749.00 EUR");
    await page.goto(`${stack.landing.url}/groups/furniture`);
    expect(await page.content()).toContain("749.00 EUR");
    await page.close();
  });
});

describe("sign-in through the SSO and the user cabinet (T4, F3)", () => {
  const email = `maria.${stamp}@example.com`;
  const password = "correct horse battery";

  it("when a person signs up at the SSO, then the cabinet greets them with their profile and the catalog, and CRM links the sign-in by the SSO subject", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await signUp(page, "Maria Ivanova", email, password);
    expect(page.url().startsWith(stack.cabinet.url)).toBe(true);
    expect(await page.locator("h1").textContent()).toBe("Hello, Maria Ivanova");
    expect(await page.content()).toContain(email);
    await reloadUntil(page, stack.cabinet.url, itemName);
    await checkAccessibility(page);
    await fitsThePhone(page);
    await page.screenshot({ path: join(screenshots, "cabinet.png"), fullPage: true });
    await page.getByRole("button", { name: `I am interested in ${itemName}` }).click();
    expect(await page.getByRole("status").first().textContent()).toContain(itemName);
    let profile: Profile | undefined;
    await waitUntil("CRM has the sign-in", async () => {
      profile = await crmProfile(`email=${encodeURIComponent(email)}`);
      return Boolean(profile?.keys.some((key) => key.startsWith("sso:")));
    });
    await page.close();
  });

  it("when the signed-in person books a meeting, then a wrong time is refused on the form, and a good one is confirmed and crosses into the core as meeting.booked", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await signIn(page, email, password);
    await page.getByRole("link", { name: "Book a meeting with a manager" }).click();
    await checkAccessibility(page);
    await fitsThePhone(page);
    // An hour from now at the earliest: a time in the past is refused, the field named.
    await page.getByLabel("Date and time (UTC)").fill("2020-01-01T10:00");
    await page.getByLabel("Where").selectOption("video call");
    await page.getByRole("button", { name: "Book the meeting" }).click();
    expect(await page.getByRole("alert").textContent()).toBe(
      "Choose a time at least an hour from now.",
    );
    expect(await page.getByLabel("Date and time (UTC)").getAttribute("aria-invalid")).toBe("true");
    const at = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 11) + "10:30";
    await page.getByLabel("Date and time (UTC)").fill(at);
    // The cabinet learns the person's CRM profile from customer.created over the bus: until
    // then it says so (409) and books nothing.
    await waitUntil("the meeting is booked", async () => {
      await page.getByLabel("Date and time (UTC)").fill(at);
      await page.getByLabel("Where").selectOption("video call");
      await page.getByRole("button", { name: "Book the meeting" }).click();
      return page.url().startsWith(`${stack.cabinet.url}/?booked=`);
    });
    expect(await page.getByRole("status").first().textContent()).toBe(
      `Your meeting on ${at.replace("T", " ")} UTC is booked; a manager will confirm it.`,
    );
    await page.screenshot({ path: join(screenshots, "meeting-booked.png"), fullPage: true });
    const profile = await crmProfile(`email=${encodeURIComponent(email)}`);
    // The gateway's import route carried it into the core, checked against its schema.
    const crossed = await eventually(
      () =>
        stack.gateway.admin.get<{
          entries: Array<{ topic: string; state: string; target: string }>;
        }>(`/v1/ledger/entries?kind=import&target=meetings-in&state=delivered`),
      (r) => r.entries.length > 0,
      { what: "meeting.booked crossed by the route meetings-in" },
    );
    expect(crossed.entries).toEqual([
      expect.objectContaining({ topic: "meeting.booked", state: "delivered" }),
    ]);
    expect(profile).toBeDefined();
    // Without a session a booking is sent to sign in; from another site's form, refused.
    const anonymous = await fetch(`${stack.cabinet.url}/meetings`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ meetingAt: at, place: "office" }).toString(),
    });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("location")).toBe("/login");
    const forged = await page.request.post(`${stack.cabinet.url}/meetings`, {
      headers: { origin: "https://elsewhere.example" },
      form: { meetingAt: at, place: "office" },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);
    const after = await stack.gateway.admin.get<{ entries: unknown[] }>(
      `/v1/ledger/entries?kind=import&target=meetings-in&state=delivered`,
    );
    expect(after.entries).toHaveLength(1);
    await page.close();
  });

  it("when the password is wrong, then the SSO says so and the cabinet stays signed out", async () => {
    const page = await browser.newPage();
    await signIn(page, email, "wrong password!");
    expect(await page.getByRole("alert").textContent()).toBe("Wrong e-mail or password.");
    await checkAccessibility(page);
    await page.screenshot({ path: join(screenshots, "sso-sign-in-error.png"), fullPage: true });
    await page.goto(stack.cabinet.url);
    expect(await page.getByRole("link", { name: "Sign in with Acme ID" }).count()).toBe(1);
    await page.close();
  });

  it("when the person signs out, then the cabinet and the SSO forget the session", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, email, password);
    expect(await page.locator("h1").textContent()).toBe("Hello, Maria Ivanova");
    await page.getByRole("button", { name: "Sign out" }).click();
    // The SSO asks to confirm (RP-initiated logout), then returns to the cabinet.
    expect(await page.locator("h1").textContent()).toBe("Sign out of Acme ID?");
    await checkAccessibility(page);
    await page.getByRole("button", { name: "Yes, sign me out" }).click();
    expect(page.url()).toBe(`${stack.cabinet.url}/`);
    await page.goto(stack.cabinet.url);
    expect(await page.getByRole("link", { name: "Sign in with Acme ID" }).count()).toBe(1);
    // Signing in again asks for the password: the SSO's session ended too.
    await page.getByRole("link", { name: "Sign in with Acme ID" }).click();
    expect(await page.getByLabel("Password").count()).toBe(1);
    await context.close();
  });

  it("when CRM is down, then sign-in and the cabinet still work, and CRM gets the sign-in when it is back", async () => {
    const late = `late.${stamp}@example.com`;
    const created = await call(
      "POST",
      `${stack.sso.url}/admin/accounts`,
      { email: late, password, name: "Olga Smirnova", roles: ["customer"] },
      { authorization: `Bearer ${stack.ssoAdminToken}` },
    );
    expect(created.status).toBe(201);
    await stack.stopCrm();
    try {
      const page = await browser.newPage();
      await signIn(page, late, password);
      expect(await page.locator("h1").textContent()).toBe("Hello, Olga Smirnova");
      expect(await page.content()).toContain(itemName);
      await page.close();
    } finally {
      await stack.startCrm();
    }
    await waitUntil("CRM has the sign-in made while it was down", async () => {
      const profile = await crmProfile(`email=${encodeURIComponent(late)}`);
      return Boolean(profile?.keys.some((key) => key.startsWith("sso:")));
    });
  });
});

describe("the admin and mobile APIs refuse callers without credentials", () => {
  it("when an account is created without the admin token, then the SSO answers 401 and stores nothing", async () => {
    const email = `nobody.${stamp}@example.com`;
    const refused = await call("POST", `${stack.sso.url}/admin/accounts`, {
      email,
      password: "long enough password",
      name: "Nobody",
      roles: ["manager"],
    });
    expect(refused.status).toBe(401);
    const bad = await call(
      "POST",
      `${stack.sso.url}/admin/accounts`,
      { email: "not-an-email", password: "short", name: "" },
      { authorization: `Bearer ${stack.ssoAdminToken}` },
    );
    expect(bad.status).toBe(400);
    const page = await browser.newPage();
    await signIn(page, email, "long enough password");
    expect(await page.getByRole("alert").textContent()).toBe("Wrong e-mail or password.");
    await page.close();
  });

  it("when the cabinet's API is called without a valid access token, then it answers 401 naming what to send; its OpenAPI document lists the API", async () => {
    const none = await call<{ error: { code: string; message: string } }>(
      "GET",
      `${stack.cabinet.url}/api/v1/me`,
    );
    expect(none.status).toBe(401);
    expect(none.body.error.message).toContain("Authorization: Bearer");
    const forged = await call<{ error: { code: string } }>(
      "GET",
      `${stack.cabinet.url}/api/v1/me`,
      undefined,
      { authorization: "Bearer not-a-real-token" },
    );
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe("InvalidToken");
    const openapi = await call<{ openapi: string; paths: Record<string, unknown> }>(
      "GET",
      `${stack.cabinet.url}/api/openapi.json`,
    );
    expect(openapi.body.openapi).toBe("3.1.0");
    expect(Object.keys(openapi.body.paths).sort()).toEqual([
      "/api/v1/catalog",
      "/api/v1/documents",
      "/api/v1/interests",
      "/api/v1/marketplace/offers",
      "/api/v1/marketplace/orders",
      "/api/v1/me",
      "/api/v1/offers",
      "/api/v1/orders",
    ]);
    const orders = await call("GET", `${stack.cabinet.url}/api/v1/orders`);
    expect(orders.status).toBe(401);
    const ordering = await call("POST", `${stack.cabinet.url}/api/v1/marketplace/orders`, {
      requestId: randomUUID(),
      offerId: randomUUID(),
      quantity: 1,
    });
    expect(ordering.status).toBe(401);
    const catalog = await call<{ items: Array<{ id: string; price?: { amount: number } }> }>(
      "GET",
      `${stack.cabinet.url}/api/v1/catalog`,
    );
    expect(catalog.body.items.find((item) => item.id === itemId)?.price?.amount).toBe(749);
  });
});

// What core modules that do not run in this stack publish, built by their own functions and
// sent on the internal bus with their app-ids: the gateway's export routes carry them out.
const order = (partnerId: string, customerId: string, title: string): Order => ({
  ...sampleOrder(),
  id: randomUUID(),
  requestId: `req-${randomUUID()}`,
  partnerId,
  customerId,
  title,
});
const sharedSandbox = (id: string, title: string, grantsVersion: number): Sandbox => ({
  id,
  kind: "partner",
  title,
  links: [],
  grants: [],
  grantsVersion,
  createdAt: new Date().toISOString(),
  createdBy: { kind: "internal", id: "olga" },
});
const storedFile = (sandbox: string, name: string, links: FileVersion["links"]): FileVersion => ({
  fileId: randomUUID(),
  sandbox,
  path: name,
  version: 1,
  state: "announced",
  objectKey: `objects/${sandbox}/${name}`,
  contentType: "application/pdf",
  size: 20_480,
  sha256: "b".repeat(64),
  author: { kind: "internal", id: "olga" },
  createdAt: new Date().toISOString(),
  links,
  text: "",
  meta: {},
});

async function createAccount(email: string, name: string, roles: string[], partnerId?: string) {
  const created = await call(
    "POST",
    `${stack.sso.url}/admin/accounts`,
    { email, password: "correct horse battery", name, roles, ...(partnerId ? { partnerId } : {}) },
    { authorization: `Bearer ${stack.ssoAdminToken}` },
  );
  expect(created.status).toBe(201);
}

async function signInAt(page: Page, url: string, email: string) {
  await page.goto(url);
  await page.getByRole("link", { name: "Sign in with Acme ID" }).click();
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Sign in" }).click();
}

describe("the unified cabinet's orders, documents and offers (F3)", () => {
  it("when the marketplace and analytics publish for the signed-in person, then the cabinet shows their order and offer, and says documents have not arrived while files sends nothing", async () => {
    const email = `anna.${stamp}@example.com`;
    await createAccount(email, "Anna Volkova", ["customer"]);
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await signInAt(page, stack.cabinet.url, email);
    expect(await page.locator("h1").textContent()).toBe("Hello, Anna Volkova");
    let customerId = "";
    await waitUntil("CRM has the sign-in", async () => {
      customerId = (await crmProfile(`email=${encodeURIComponent(email)}`))?.id ?? "";
      return customerId !== "";
    });
    const placed = order("cleanco", customerId, `Flat cleaning ${stamp}`);
    await stack.publishAs("marketplace", orderCreated(placed));
    const paid = applyTransition(
      placed,
      "pay",
      { kind: "acquirer", id: "acq-1" },
      new Date().toISOString(),
    );
    await stack.publishAs("marketplace", orderStatusChanged(paid));
    await stack.publishAs(
      "analytics",
      offerSuggested({
        suggestionId: `${customerId}:renovation`,
        customerId,
        rule: "renovation",
        offer: { category: "renovation", title: `Renovation loan ${stamp}` },
        reason: "you took a mortgage recently",
        suggestedAt: new Date().toISOString(),
      }),
    );
    await reloadUntil(page, stack.cabinet.url, `Renovation loan ${stamp}`);
    await reloadUntil(page, stack.cabinet.url, `Flat cleaning ${stamp}`);
    const orders = page.getByRole("region", { name: "Your orders" });
    expect(await orders.textContent()).toContain("paid");
    expect(await orders.textContent()).toContain("Orders as of");
    const documents = page.getByRole("region", { name: "Your documents" });
    expect(await documents.textContent()).toContain(
      "Documents have not arrived from file storage yet (it may be unavailable)",
    );
    await checkAccessibility(page);
    await fitsThePhone(page);
    await page.screenshot({ path: join(screenshots, "cabinet-orders-offers.png"), fullPage: true });
    await stack.publishAs(
      "files",
      fileStored(
        storedFile("customers", `contract-${stamp}.pdf`, [{ kind: "customer", id: customerId }]),
        sharedSandbox("customers", "Customers", 1),
      ),
    );
    await reloadUntil(page, stack.cabinet.url, `contract-${stamp}.pdf`);
    await page.close();
  });
});

describe("ordering from the marketplace in the user cabinet (F3, F4)", () => {
  it("when the marketplace publishes an offer, then a signed-in person orders it: a wrong quantity is refused on the form, a good order crosses into the core as marketplace.order.requested, and a withdrawn offer cannot be ordered; without a session or from another site nothing is sent", async () => {
    const email = `pavel.${stamp}@example.com`;
    await createAccount(email, "Pavel Orlov", ["customer"]);
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await signInAt(page, stack.cabinet.url, email);
    const offer = { ...sampleOffer(), id: randomUUID(), title: `Window cleaning ${stamp}` };
    await stack.publishAs("marketplace", offerChanged(offer, "created"));
    await reloadUntil(page, `${stack.cabinet.url}/marketplace`, offer.title);
    expect(await page.content()).toContain("350.00 RUB per delivery");
    await checkAccessibility(page);
    await fitsThePhone(page);
    await page.getByRole("link", { name: `Order ${offer.title}` }).click();
    await checkAccessibility(page);
    await page.getByLabel(/^How many/).fill("0");
    await page.getByRole("button", { name: "Send the order" }).click();
    expect(await page.getByRole("alert").textContent()).toBe(
      "Enter how many (delivery): a whole number from 1 to 100000.",
    );
    expect(await page.getByLabel(/^How many/).getAttribute("aria-invalid")).toBe("true");
    // The cabinet learns the person's CRM profile from customer.created over the bus: until
    // then it says so (409) and sends nothing.
    await waitUntil("the order is sent", async () => {
      await page.getByLabel(/^How many/).fill("2");
      await page.getByLabel(/^A note for the partner/).fill("Third floor, ring twice");
      await page.getByRole("button", { name: "Send the order" }).click();
      return page.url().startsWith(`${stack.cabinet.url}/?ordered=`);
    });
    expect(await page.getByRole("status").first().textContent()).toBe(
      `Your order of ${offer.title} is sent: it shows under your orders as requested until the marketplace places it.`,
    );
    const yourOrders = async () =>
      ((await page.getByRole("region", { name: "Your orders" }).textContent()) ?? "").replace(
        /\s+/g,
        " ",
      );
    expect(await yourOrders()).toContain(
      `${offer.title} × 2 delivery 700.00 RUB requested, waiting for the marketplace`,
    );
    await page.screenshot({
      path: join(screenshots, "cabinet-marketplace-order.png"),
      fullPage: true,
    });
    const crossed = await eventually(
      () =>
        stack.gateway.admin.get<{
          entries: Array<{ messageId: string; topic: string; state: string }>;
        }>(`/v1/ledger/entries?kind=import&target=marketplace-order-requests-in&state=delivered`),
      (r) => r.entries.length > 0,
      { what: "marketplace.order.requested crossed by marketplace-order-requests-in" },
    );
    expect(crossed.entries).toEqual([
      expect.objectContaining({ topic: "marketplace.order.requested", state: "delivered" }),
    ]);
    // The cabinet keeps its own note of the request until the marketplace answers it.
    const requestId = crossed.entries[0]!.messageId.split(":").at(-1)!;
    const cabinetDb = await mongoose.createConnection(stack.cabinet.databaseUrl).asPromise();
    const cabinetRecords = createRecordStore(cabinetDb);
    expect(await cabinetRecords.find("order-request", requestId)).toMatchObject({
      facts: { offerId: offer.id, quantity: 2 },
    });
    // An answer of someone else's with the same request id does not delete it.
    await cabinetRecords.remove("order-request", requestId, ["customer:someone-else"]);
    expect(await cabinetRecords.find("order-request", requestId)).toBeDefined();
    // Without a session the order is sent to sign in; from another site's form, refused.
    const form = { requestId: randomUUID(), offerId: offer.id, quantity: "1" };
    const anonymous = await fetch(`${stack.cabinet.url}/marketplace/orders`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("location")).toBe("/login");
    const forged = await page.request.post(`${stack.cabinet.url}/marketplace/orders`, {
      headers: { origin: "https://elsewhere.example" },
      form,
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);
    // The partner withdraws it: its page says so and an order of it is refused 409.
    await stack.publishAs(
      "marketplace",
      offerChanged({ ...offer, status: "withdrawn", version: 2 }, "withdrawn"),
    );
    await reloadUntil(page, `${stack.cabinet.url}/marketplace/${offer.id}`, "is withdrawn");
    const refused = await page.request.post(`${stack.cabinet.url}/marketplace/orders`, {
      headers: { origin: stack.cabinet.url },
      form,
      maxRedirects: 0,
    });
    expect(refused.status()).toBe(409);
    await page.goto(`${stack.cabinet.url}/marketplace`);
    expect(await page.content()).not.toContain(offer.title);
    const after = await stack.gateway.admin.get<{ entries: unknown[] }>(
      `/v1/ledger/entries?kind=import&target=marketplace-order-requests-in`,
    );
    expect(after.entries).toHaveLength(1);
    // The marketplace had refused the order that crossed (the offer was withdrawn before it
    // arrived): its answer comes back over the bus and the cabinet says so under the orders.
    const messageId = crossed.entries[0]!.messageId;
    const customerId = (await crmProfile(`email=${encodeURIComponent(email)}`))?.id ?? "";
    const answer = requestRefused({
      eventId: messageId,
      topic: "marketplace.order.requested",
      code: "OfferUnavailable",
      reason: `event.offerId: offer ${offer.id} cannot be ordered: it is withdrawn`,
      at: new Date().toISOString(),
      data: {
        requestId,
        offerId: offer.id,
        customerId,
        quantity: 2,
      },
    });
    await stack.publishAs("marketplace", answer!);
    await reloadUntil(page, stack.cabinet.url, "Requests the marketplace refused");
    const orders = await yourOrders();
    expect(orders).not.toContain("waiting for the marketplace");
    expect(orders).toContain(`${offer.title} × 2`);
    expect(orders).toContain("The offer could no longer be ordered when your request arrived.");
    await checkAccessibility(page);
    // The answer settled the request: its note is deleted, not kept forever.
    await waitUntil(
      "the cabinet's note of the answered request is deleted",
      async () => (await cabinetRecords.find("order-request", requestId)) === undefined,
    );
    await cabinetDb.close();
    await page.close();
  });
});

describe("the partner cabinets (F4, F5): each partner sees only its own", () => {
  it("when a marketplace partner signs in, then it sees its requests, finances and statistics, not another partner's; another partner's request is 404", async () => {
    const email = `cleanco.${stamp}@example.com`;
    await createAccount(email, "Ivan Cleanco", ["marketplace-partner"], "cleanco");
    const mine = order("cleanco", randomUUID(), `Window cleaning ${stamp}`);
    const theirs = order("fastfix", randomUUID(), `Tap repair ${stamp}`);
    await stack.publishAs("marketplace", orderCreated(mine));
    await stack.publishAs("marketplace", orderCreated(theirs));
    const paidAt = new Date().toISOString();
    await stack.publishAs(
      "marketplace",
      orderPaid({
        ...applyTransition(mine, "pay", { kind: "acquirer", id: "acq-1" }, paidAt),
        payment: {
          ...mine.payment,
          eventId: `payment.succeeded:${mine.id}`,
          acquirerRef: "acq-1",
          paidAt,
        },
      }),
    );
    // The company's manager sees every partner's: both orders are in the cabinet.
    const managerEmail = `manager.${stamp}@example.com`;
    await createAccount(managerEmail, "Sergei Manager", ["manager"]);
    const managerContext = await browser.newContext();
    const managerPage = await managerContext.newPage();
    await signInAt(managerPage, stack.partnerCabinet.url, managerEmail);
    await reloadUntil(managerPage, stack.partnerCabinet.url, `Tap repair ${stamp}`);
    await reloadUntil(managerPage, stack.partnerCabinet.url, `Window cleaning ${stamp}`);
    await managerContext.close();
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await signInAt(page, stack.partnerCabinet.url, email);
    expect(page.url().startsWith(stack.partnerCabinet.url)).toBe(true);
    await reloadUntil(page, stack.partnerCabinet.url, `Window cleaning ${stamp}`);
    expect(await page.locator("h1").textContent()).toBe("Partner cleanco");
    // 3 deliveries at 350.00 RUB, 15 % commission: 1050.00 paid, 157.50 commission, 892.50 payout.
    await reloadUntil(page, stack.partnerCabinet.url, "892.50");
    expect(await page.getByRole("region", { name: "Finances" }).textContent()).toContain("157.50");
    for (const heading of ["Requests from users", "Finances", "Statistics", "Reports"])
      expect(await page.getByRole("heading", { name: heading }).count()).toBe(1);
    expect(await page.content()).not.toContain(`Tap repair ${stamp}`);
    await checkAccessibility(page);
    await fitsThePhone(page);
    await page.screenshot({ path: join(screenshots, "partner-cabinet.png"), fullPage: true });
    const other = await page.goto(`${stack.partnerCabinet.url}/orders/${theirs.id}`);
    expect(other?.status()).toBe(404);
    const own = await page.goto(`${stack.partnerCabinet.url}/orders/${mine.id}`);
    expect(own?.status()).toBe(200);
    const report = await page.evaluate(async () => (await fetch("/reports/orders.csv")).text());
    expect(report).toContain(mine.id);
    expect(report).not.toContain(theirs.id);
    await page.close();
  });

  it("when a marketplace partner accepts its paid request, then the move crosses into the core as marketplace.partner.updated, and the status the marketplace sends back offers the next step; a wrong move, another's request, a manager and a forged form send nothing", async () => {
    const email = `brightco.${stamp}@example.com`;
    await createAccount(email, "Olga Brightco", ["marketplace-partner"], "brightco");
    const placed = order("brightco", randomUUID(), `Carpet cleaning ${stamp}`);
    const paid = applyTransition(
      placed,
      "pay",
      { kind: "acquirer", id: "acq-2" },
      placed.createdAt,
    );
    const theirs = order("fastfix", randomUUID(), `Door repair ${stamp}`);
    await stack.publishAs("marketplace", orderCreated(placed));
    await stack.publishAs("marketplace", orderStatusChanged(paid));
    await stack.publishAs("marketplace", orderCreated(theirs));
    const url = `${stack.partnerCabinet.url}/orders/${placed.id}`;
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await signInAt(page, stack.partnerCabinet.url, email);
    await reloadUntil(page, url, "Accept the request");
    await checkAccessibility(page);
    await fitsThePhone(page);
    const crossed = () =>
      stack.gateway.admin.get<{ entries: Array<{ topic: string; messageId: string }> }>(
        `/v1/ledger/entries?kind=import&target=marketplace-partner-updates-in&state=delivered`,
      );
    const before = (await crossed()).entries.length;
    // A move the status does not allow is refused on the page (409), naming what can be done.
    const wrong = await page.request.post(`${url}/moves`, {
      headers: { origin: stack.partnerCabinet.url },
      form: { transition: "complete" },
      maxRedirects: 0,
    });
    expect(wrong.status()).toBe(409);
    expect(await wrong.text()).toContain("This request is paid: you can accept or decline it.");
    // Another partner's request is not there; a form from another site is refused.
    const other = await page.request.post(`${stack.partnerCabinet.url}/orders/${theirs.id}/moves`, {
      headers: { origin: stack.partnerCabinet.url },
      form: { transition: "cancel" },
      maxRedirects: 0,
    });
    expect(other.status()).toBe(404);
    const forged = await page.request.post(`${url}/moves`, {
      headers: { origin: "https://elsewhere.example" },
      form: { transition: "accept" },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);
    await page.getByLabel(/^Note/).fill("Tomorrow, 9:00");
    await page.getByRole("button", { name: "Accept the request" }).click();
    expect(await page.getByRole("status").first().textContent()).toContain(
      "Sent: accept the request.",
    );
    await page.screenshot({ path: join(screenshots, "partner-request-move.png"), fullPage: true });
    // The import route carried it into the core, checked against its schema, once.
    const after = await eventually(crossed, (r) => r.entries.length > before, {
      what: "marketplace.partner.updated crossed by marketplace-partner-updates-in",
    });
    expect(after.entries.length).toBe(before + 1);
    expect(after.entries.map((e) => e.messageId)).toContain(
      `marketplace.partner.updated:${placed.id}:paid:accept`,
    );
    // The marketplace applies it and says so; the cabinet then offers the next step.
    const accepted = applyTransition(
      paid,
      "accept",
      { kind: "partner", id: "brightco" },
      new Date().toISOString(),
    );
    await stack.publishAs("marketplace", orderStatusChanged(accepted));
    await reloadUntil(page, url, "Start the work");
    expect(await page.content()).not.toContain("Accept the request");
    await page.close();
    // The company's manager reads the request but does not move it for the partner.
    const managerEmail = `manager2.${stamp}@example.com`;
    await createAccount(managerEmail, "Irina Manager", ["manager"]);
    const managerContext = await browser.newContext();
    const managerPage = await managerContext.newPage();
    await signInAt(managerPage, stack.partnerCabinet.url, managerEmail);
    await managerPage.goto(url);
    expect(await managerPage.content()).toContain("operator API");
    const byManager = await managerPage.request.post(`${url}/moves`, {
      headers: { origin: stack.partnerCabinet.url },
      form: { transition: "start" },
      maxRedirects: 0,
    });
    expect(byManager.status()).toBe(403);
    await managerContext.close();
    expect((await crossed()).entries.length).toBe(before + 1);
  });

  it("when a marketplace partner publishes an offer, changes it and withdraws it, then each crosses into the core as marketplace.partner.updated and the offer the marketplace sends back shows; a wrong field is named on the form, a stale edit is 409, another's offer 404, a manager 403", async () => {
    const email = `shineco.${stamp}@example.com`;
    await createAccount(email, "Nina Shineco", ["marketplace-partner"], "shineco");
    const theirs = { ...sampleOffer(), id: randomUUID(), title: `Courier ${stamp}` };
    await stack.publishAs("marketplace", offerChanged(theirs, "created"));
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await signInAt(page, stack.partnerCabinet.url, email);
    await page.goto(`${stack.partnerCabinet.url}/offers`);
    await page.getByRole("link", { name: "New offer" }).click();
    await checkAccessibility(page);
    await fitsThePhone(page);
    const offerId = await page.locator('input[name="offerId"]').inputValue();
    const title = `Window cleaning ${stamp}`;
    await page.getByLabel("Title").fill(title);
    await page.getByLabel(/^Category/).fill("Home Cleaning");
    await page.getByLabel(/^Unit/).fill("visit");
    await page.getByLabel("Price per unit").fill("1500");
    await page.getByLabel("Description").fill("Both sides, up to 10 windows.");
    await page.getByRole("button", { name: "Publish the offer" }).click();
    expect(await page.getByRole("alert").textContent()).toBe(
      "Category: expected a code of a-z, 0-9 and '-'.",
    );
    expect(await page.getByLabel(/^Category/).getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("Title").inputValue()).toBe(title);
    const crossed = () =>
      stack.gateway.admin.get<{ entries: Array<{ messageId: string }> }>(
        `/v1/ledger/entries?kind=import&target=marketplace-partner-updates-in&state=delivered`,
      );
    const before = (await crossed()).entries.length;
    const sent = async (messageId: string) => {
      const after = await eventually(
        crossed,
        (r) => r.entries.some((e) => e.messageId === messageId),
        { what: `${messageId} crossed by marketplace-partner-updates-in` },
      );
      return after.entries.length;
    };
    await page.getByLabel(/^Category/).fill("home-cleaning");
    await page.getByRole("button", { name: "Publish the offer" }).click();
    const notice = async () =>
      ((await page.getByRole("status").first().textContent()) ?? "").replace(/\s+/g, " ");
    expect(await notice()).toContain("Sent: the offer is saved once the marketplace accepts it");
    expect(await sent(`marketplace.partner.updated:offer:${offerId}:0`)).toBe(before + 1);
    // The marketplace takes it (checked against its rulebook) and publishes the offer.
    const offer = {
      ...sampleOffer(),
      id: offerId,
      partnerId: "shineco",
      title,
      category: "home-cleaning",
      unit: "visit",
      price: { amount: 1500, currency: "RUB" },
      sla: { responseHours: 24, completionHours: 72 },
    };
    await stack.publishAs("marketplace", offerChanged(offer, "created"));
    await reloadUntil(page, `${stack.partnerCabinet.url}/offers`, title);
    expect(await page.content()).not.toContain(theirs.title);
    await page.getByRole("link", { name: title }).click();
    await page.getByLabel("Price per unit").fill("1600");
    await page.getByRole("button", { name: "Save the new terms" }).click();
    expect(await sent(`marketplace.partner.updated:offer:${offerId}:1`)).toBe(before + 2);
    // The marketplace refuses the new terms (its rulebook caps the price); its answer comes
    // back over the bus and the offers page says which change and why.
    await stack.publishAs(
      "marketplace",
      requestRefused({
        eventId: `marketplace.partner.updated:offer:${offerId}:1`,
        topic: "marketplace.partner.updated",
        code: "RuleViolated",
        reason: "offer.price: 1600 RUB breaks rule home-cleaning-price (at most 1550 RUB)",
        rule: "home-cleaning-price",
        at: new Date().toISOString(),
        data: { action: "offer.upsert", partnerId: "shineco", offerId },
      })!,
    );
    await reloadUntil(
      page,
      `${stack.partnerCabinet.url}/offers`,
      "Changes the marketplace refused",
    );
    const refusals = (
      (await page.getByRole("region", { name: "Changes the marketplace refused" }).textContent()) ??
      ""
    ).replace(/\s+/g, " ");
    expect(refusals).toContain(`New terms of ${title}: offer.price: 1600 RUB breaks rule`);
    expect(refusals).toContain("(rule home-cleaning-price)");
    await checkAccessibility(page);
    await page.screenshot({ path: join(screenshots, "partner-offers.png"), fullPage: true });
    // An edit of a version that is not the one the cabinet has, another partner's offer, and
    // a form from another site send nothing.
    const stale = await page.request.post(`${stack.partnerCabinet.url}/offers`, {
      headers: { origin: stack.partnerCabinet.url },
      form: {
        offerId,
        version: "7",
        title,
        category: "home-cleaning",
        unit: "visit",
        amount: "1700",
        currency: "RUB",
        responseHours: "24",
        completionHours: "72",
      },
      maxRedirects: 0,
    });
    expect(stale.status()).toBe(409);
    expect(await stale.text()).toContain("now version 1");
    const other = await page.request.post(
      `${stack.partnerCabinet.url}/offers/${theirs.id}/withdraw`,
      { headers: { origin: stack.partnerCabinet.url }, maxRedirects: 0 },
    );
    expect(other.status()).toBe(404);
    expect((await page.goto(`${stack.partnerCabinet.url}/offers/${theirs.id}`))?.status()).toBe(
      404,
    );
    const forged = await page.request.post(
      `${stack.partnerCabinet.url}/offers/${offerId}/withdraw`,
      {
        headers: { origin: "https://elsewhere.example" },
        maxRedirects: 0,
      },
    );
    expect(forged.status()).toBe(403);
    // Without a session the cabinet only offers to sign in.
    for (const path of ["/offers", `/offers/${offerId}/withdraw`]) {
      const anonymous = await fetch(`${stack.partnerCabinet.url}${path}`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ offerId, version: "1", title, amount: "1" }).toString(),
      });
      expect(await anonymous.text()).toContain("Sign in with Acme ID");
    }
    await page.goto(`${stack.partnerCabinet.url}/offers/${offerId}`);
    await page.getByRole("button", { name: "Withdraw the offer" }).click();
    expect(await notice()).toContain(
      "Sent: the offer is withdrawn once the marketplace accepts it",
    );
    expect(await sent(`marketplace.partner.updated:offer:${offerId}:1:withdraw`)).toBe(before + 3);
    await page.close();
    // The company's manager reads every partner's offers and edits none.
    const managerEmail = `manager3.${stamp}@example.com`;
    await createAccount(managerEmail, "Irina Manager", ["manager"]);
    const managerContext = await browser.newContext();
    const managerPage = await managerContext.newPage();
    await signInAt(managerPage, stack.partnerCabinet.url, managerEmail);
    await managerPage.goto(`${stack.partnerCabinet.url}/offers`);
    expect(await managerPage.content()).toContain(theirs.title);
    expect(await managerPage.content()).toContain(title);
    const byManager = await managerPage.request.post(
      `${stack.partnerCabinet.url}/offers/${offerId}/withdraw`,
      { headers: { origin: stack.partnerCabinet.url }, maxRedirects: 0 },
    );
    expect(byManager.status()).toBe(403);
    await managerContext.close();
    expect((await crossed()).entries.length).toBe(before + 3);
  });

  it("when a customer tries the partner cabinet, then the SSO does not let them in", async () => {
    const email = `customer.${stamp}@example.com`;
    await createAccount(email, "Petr Customer", ["customer"]);
    const page = await browser.newPage();
    await signInAt(page, stack.partnerCabinet.url, email);
    expect(page.url().startsWith(stack.sso.url)).toBe(true);
    expect(await page.locator("h1").textContent()).toBe("Not allowed");
    expect(await page.content()).toContain("This cabinet is for: marketplace-partner, manager");
    await page.close();
  });

  it("when a company partner signs in, then it sees the folders shared with it and their files with its rights, and another partner's folder is 404", async () => {
    const email = `pm.${stamp}@example.com`;
    await createAccount(email, "Olga Housing", ["company-partner"], `pm-${stamp}`);
    const house = sharedSandbox(`house-${stamp}`, `House 12 ${stamp}`, 1);
    const other = sharedSandbox(`other-${stamp}`, `Other ${stamp}`, 1);
    await stack.publishAs(
      "files",
      fileShared(
        house,
        { principal: `partner:pm-${stamp}`, rights: ["read", "write"], previousRights: [] },
        { kind: "internal", id: "olga" },
        new Date().toISOString(),
      ),
    );
    await stack.publishAs(
      "files",
      fileShared(
        other,
        { principal: "partner:someone-else", rights: ["read"], previousRights: [] },
        { kind: "internal", id: "olga" },
        new Date().toISOString(),
      ),
    );
    await stack.publishAs(
      "files",
      fileStored(storedFile(house.id, `meters-${stamp}.pdf`, []), house),
    );
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await signInAt(page, stack.companyCabinet.url, email);
    await reloadUntil(page, stack.companyCabinet.url, `House 12 ${stamp}`);
    expect(await page.content()).toContain("Your rights: read, write");
    expect(await page.content()).not.toContain(`Other ${stamp}`);
    await page.getByRole("link", { name: `House 12 ${stamp}` }).click();
    await reloadUntil(
      page,
      `${stack.companyCabinet.url}/sandboxes/${house.id}`,
      `meters-${stamp}.pdf`,
    );
    await checkAccessibility(page);
    await fitsThePhone(page);
    await page.screenshot({
      path: join(screenshots, "company-partner-cabinet.png"),
      fullPage: true,
    });
    const refused = await page.goto(`${stack.companyCabinet.url}/sandboxes/${other.id}`);
    expect(refused?.status()).toBe(404);
    await page.close();
  });
});

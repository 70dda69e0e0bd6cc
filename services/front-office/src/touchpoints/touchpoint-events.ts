import { randomUUID } from "node:crypto";
import { cookieConsent, type ConsentStatement, type CookieChoice } from "@symbiont/contracts";
import type { OutgoingEvent } from "@symbiont/service-kit";

export const touchpointTopic = "touchpoint.recorded";

/** The sign-in the cabinet's touchpoints name as their SSO provider (the ecosystem's SSO). */
export const cabinetSignIn = "acme-id";

/**
 * A contact event as CRM takes it on `touchpoint.recorded` (docs/module-contract.md): what
 * the front office saw a person do. Built here, checked against CRM's own schema in tests.
 */
export interface TouchpointData {
  id: string;
  channel: "site_form" | "cookie" | "sso_login";
  occurredAt: string;
  enteredBy: { kind: "auto" };
  identity: {
    email?: string;
    phone?: string;
    cookieId?: string;
    sso?: { provider: string; subject: string };
  };
  name?: string;
  consent?: ConsentStatement;
  interests?: string[];
  note?: string;
}

function event(data: TouchpointData): OutgoingEvent<TouchpointData> {
  return { id: `${touchpointTopic}:${data.id}`, topic: touchpointTopic, data };
}

/** A page view by a visitor who accepted the site's cookies (their cookie is the hint). */
export function visitTouchpoint(visitorId: string, path: string, at: Date) {
  return event({
    id: `site-visit-${randomUUID()}`,
    channel: "cookie",
    occurredAt: at.toISOString(),
    enteredBy: { kind: "auto" },
    identity: { cookieId: visitorId },
    note: `visited ${path}`.slice(0, 2_000),
  });
}

/**
 * The cookie banner's choice for this browser (`consent.cookies`): an acceptance with the new
 * cookie id, or a refusal that withdraws an earlier acceptance of the same browser. A first
 * refusal has no id to tell, so it is never sent (nothing about that visitor is kept).
 */
export function cookieChoiceTouchpoint(visitorId: string, choice: CookieChoice, at: Date) {
  return event({
    id: `site-cookies-${randomUUID()}`,
    channel: "cookie",
    occurredAt: at.toISOString(),
    enteredBy: { kind: "auto" },
    identity: { cookieId: visitorId },
    consent: cookieConsent(choice),
    note: choice === "accept" ? "accepted the site's cookies" : "refused the site's cookies",
  });
}

/** A target action on the site: a call-back request about an item, with the SMS consent given. */
export function callBackTouchpoint(input: {
  name: string;
  phone: string;
  smsConsent: boolean;
  itemId: string;
  visitorId?: string;
  at: Date;
}) {
  return event({
    id: `site-callback-${randomUUID()}`,
    channel: "site_form",
    occurredAt: input.at.toISOString(),
    enteredBy: { kind: "auto" },
    identity: { phone: input.phone, ...(input.visitorId ? { cookieId: input.visitorId } : {}) },
    name: input.name,
    consent: { sms: input.smsConsent },
    interests: [input.itemId],
    note: "asked for a call back",
  });
}

/** A signed-in person's interest in an item, from the cabinet: linked by SSO subject and e-mail. */
export function interestTouchpoint(input: {
  subject: string;
  email?: string;
  itemId: string;
  at: Date;
}) {
  return event({
    id: `cabinet-interest-${randomUUID()}`,
    channel: "site_form",
    occurredAt: input.at.toISOString(),
    enteredBy: { kind: "auto" },
    identity: {
      sso: { provider: cabinetSignIn, subject: input.subject },
      ...(input.email ? { email: input.email } : {}),
    },
    interests: [input.itemId],
    note: "interested, from the user cabinet",
  });
}

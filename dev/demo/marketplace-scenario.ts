// The demo's marketplace story (MISSION C6, T3): a property management company joins and
// offers a service per flat per month under the rules of the game; a customer orders it in
// the user cabinet (over the corporate bus, through the bus gateway); the acquiring partner
// is asked for the payment, calls back with a signed webhook, and the order is paid. A
// repeated callback changes nothing. `dev/demo.ts` calls it with the processes it started.

import { orderRequestedSchema, orderRequestedTopic } from "@symbiont/contracts";

export interface MarketplaceScenarioOptions {
  marketplaceUrl: string;
  adminToken: string;
  /** partner-sim's admin URL; it plays the acquiring partner under `acquirer`. */
  partnerSimUrl: string;
  acquirer: string;
  /** The bus gateway's URL (its /inbound/<acquirer> takes the callbacks). */
  gatewayUrl: string;
  /** The user cabinet's sidecar: the scenario publishes as the cabinet through it. */
  cabinetSidecarUrl: string;
  corporatePubsub: string;
  log: (line: string) => void;
}

interface Order {
  id: string;
  status: string;
  version: number;
  amount: number;
  currency: string;
  commission: number;
  partnerPayout: number;
  payment: { paymentId: string; acquirerRef?: string };
}

async function send<T>(
  method: string,
  url: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: T }> {
  const response = await fetch(url, {
    method,
    headers: {
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function must<T>(method: string, url: string, body?: unknown, token?: string): Promise<T> {
  const answer = await send<T>(method, url, body, token);
  if (answer.status >= 300)
    throw new Error(`${method} ${url}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

const money = (amount: number, currency: string) => `${amount.toFixed(2)} ${currency}`;

export async function runMarketplaceScenario(opts: MarketplaceScenarioOptions): Promise<void> {
  const { log } = opts;
  const adminUrl = `${opts.marketplaceUrl}/v1/admin`;
  const partnerUrl = `${opts.marketplaceUrl}/v1/partner`;
  const stamp = Date.now().toString(36);
  const asAdmin = <T>(method: string, path: string, body?: unknown) =>
    must<T>(method, `${adminUrl}${path}`, body, opts.adminToken);

  await must("PUT", `${opts.partnerSimUrl}/admin/partners/${opts.acquirer}/acquiring`, {
    callbackUrl: `${opts.gatewayUrl}/inbound/${opts.acquirer}`,
    capture: "auto",
  });
  const rules = await asAdmin<{ version: number; rules: unknown[] }>("GET", "/rules");
  log(`rules of the game: ${rules.rules.length} rules (version ${rules.version}), kept as data`);

  const partnerId = `uk-zelenaya-${stamp}`;
  const { key } = await asAdmin<{ key: { keyId: string; token: string } }>("POST", "/partners", {
    id: partnerId,
    name: "UK Zelenaya Roshcha",
    kind: "property-management",
  });
  log(
    `partner ${partnerId} (property-management) onboarded; its API key ${key.token.slice(0, 20)}... is shown once, stored as a hash`,
  );

  const terms = {
    title: "Cleaning of common areas",
    category: "building-services",
    unit: "flat-month",
    price: { amount: 450, currency: "RUB" },
    sla: { responseHours: 24, completionHours: 720 },
  };
  const tooCheap = await send<{ error: { details: { rule: string }; message: string } }>(
    "POST",
    `${partnerUrl}/offers`,
    { ...terms, price: { amount: 20, currency: "RUB" } },
    key.token,
  );
  log(
    `an offer at 20.00 RUB per flat-month: HTTP ${tooCheap.status}, rule ${tooCheap.body.error.details.rule}`,
  );
  const offer = await must<{ id: string }>("POST", `${partnerUrl}/offers`, terms, key.token);
  log(
    `offer "${terms.title}" at 450.00 RUB per flat-month (a service per flat per month) is on sale: ${offer.id}`,
  );

  const requestId = `demo-${stamp}`;
  log(
    "the user cabinet orders it for 120 flat-months (marketplace.order.requested on the corporate bus)",
  );
  const topic = orderRequestedTopic;
  const published = await fetch(
    `${opts.cabinetSidecarUrl}/v1.0/publish/${opts.corporatePubsub}/${topic}`,
    {
      method: "POST",
      headers: { "content-type": "application/cloudevents+json" },
      body: JSON.stringify({
        specversion: "1.0",
        id: `${topic}:${requestId}`,
        source: "user-cabinet",
        type: topic,
        datacontenttype: "application/json",
        data: orderRequestedSchema.parse({
          requestId,
          offerId: offer.id,
          customerId: `customer-${stamp}`,
          quantity: 120,
        }),
      }),
    },
  );
  if (!published.ok)
    throw new Error(`publish ${topic}: HTTP ${published.status} ${await published.text()}`);
  const order = await waitForOrder(asAdmin, partnerId, (o) => o.status === "paid");
  const payments = await must<{
    payments: Array<{ paymentId: string; callbacks: Array<{ status: number | null }> }>;
  }>("GET", `${opts.partnerSimUrl}/admin/partners/${opts.acquirer}/payments`);
  const charged = payments.payments.find((p) => p.paymentId === order.payment.paymentId);
  log(
    `  -> the acquiring partner got the payment intent through the gateway and called back (signed webhook, gateway answered ${charged?.callbacks[0]?.status ?? "?"})`,
  );
  log(
    `  -> order ${order.id} paid: ${money(order.amount, order.currency)}, commission ${money(order.commission, order.currency)}, partner payout ${money(order.partnerPayout, order.currency)} (order.paid published)`,
  );

  const replay = await must<{ status: number }>(
    "POST",
    `${opts.partnerSimUrl}/admin/partners/${opts.acquirer}/payments/${order.payment.paymentId}/callbacks/replay`,
    { fresh: true },
  );
  const settled = await waitForRecognised(opts.marketplaceUrl);
  const after = await asAdmin<Order>("GET", `/orders/${order.id}`);
  log(
    `the acquirer sends its callback again under a new key (gateway answered ${replay.status}): ${settled ? "recognised by the marketplace" : "not seen yet"}, order unchanged at version ${after.version}`,
  );

  const day = 86_400_000;
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const report = await must<{
    lines: Array<{
      payments: number;
      gross: number;
      commission: number;
      payout: number;
      currency: string;
    }>;
  }>(
    "GET",
    `${partnerUrl}/payouts?from=${iso(Date.now() - day)}&to=${iso(Date.now() + day)}`,
    undefined,
    key.token,
  );
  const line = report.lines[0];
  if (line)
    log(
      `payouts report for ${partnerId}: ${line.payments} payment(s), gross ${money(line.gross, line.currency)}, commission ${money(line.commission, line.currency)}, payout ${money(line.payout, line.currency)}`,
    );
}

async function waitForOrder(
  asAdmin: <T>(method: string, path: string) => Promise<T>,
  partnerId: string,
  done: (order: Order) => boolean,
): Promise<Order> {
  const deadline = Date.now() + 90_000;
  let last: Order | undefined;
  while (Date.now() < deadline) {
    const { orders } = await asAdmin<{ orders: Order[] }>("GET", `/orders?partnerId=${partnerId}`);
    last = orders[0];
    if (last && done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(
    `marketplace scenario: the order was not paid within 90 s (last: ${JSON.stringify(last)})`,
  );
}

/** True once the marketplace counted a callback it had applied already. */
async function waitForRecognised(marketplaceUrl: string): Promise<boolean> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const metrics = await (await fetch(`${marketplaceUrl}/metrics`)).text();
    if (
      /symbiont_marketplace_payment_callbacks_total\{topic="payment.succeeded",outcome="duplicate"\} [1-9]/.test(
        metrics,
      )
    )
      return true;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return false;
}

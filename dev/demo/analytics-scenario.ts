import { waitUntil } from "../harness/probe.js";

// The demo's analytics scene: the events of the scenes before reached analytics over the
// internal bus too. Its reports API (for a caller with a token) shows what it collected and
// today's cash flow, where the order the marketplace scene had paid through the acquiring
// partner appears once, though both the acquirer and the marketplace reported the payment.

interface ScenarioOptions {
  analyticsUrl: string;
  /** A reader's token (Secret acme-analytics-reporting in the samples). */
  token: string;
  log: (line: string) => void;
}

interface CashFlow {
  currency: string;
  totals: { inflow: number; payments: number };
}

async function read<T>(url: string, token: string): Promise<T> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

export async function runAnalyticsScenario(opts: ScenarioOptions): Promise<void> {
  const { analyticsUrl, token, log } = opts;
  const today = new Date().toISOString().slice(0, 10);
  let collected = { events: 0, byTopic: {} as Record<string, number> };
  let cash: CashFlow | undefined;
  await waitUntil(
    "analytics has CRM's profiles and the paid order",
    async () => {
      collected = await read(`${analyticsUrl}/reports/collected`, token);
      const flow = await read<CashFlow>(
        `${analyticsUrl}/reports/cash-flow?from=${today}&to=${today}`,
        token,
      );
      cash = flow;
      const told = ["order.paid", "payment.succeeded"].every((t) => collected.byTopic[t]);
      return (collected.byTopic["customer.created"] ?? 0) > 0 && told && flow.totals.payments > 0;
    },
    { timeoutMs: 60_000 },
  );
  const topics = Object.entries(collected.byTopic)
    .map(([topic, count]) => `${topic} ${count}`)
    .join(", ");
  log(`Analytics: collected ${collected.events} events from the internal bus (${topics})`);
  log(
    `Analytics: cash flow today: ${cash!.totals.inflow} ${cash!.currency} in from ${cash!.totals.payments} payment(s): the order paid through the acquirer, counted once though the acquirer and the marketplace both reported it`,
  );
  log(
    `Analytics: charts at ${analyticsUrl}/reports/page (user "reporting", its token in Secret acme-analytics-reporting)`,
  );
}

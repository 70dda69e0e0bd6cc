import { waitUntil } from "../harness/probe.js";

// The demo's analytics scene: the events of the scenes before reached analytics over the
// internal bus too, and its reports API (for a caller with a token) shows what it collected
// and today's cash flow; the charts page is for people.

interface ScenarioOptions {
  analyticsUrl: string;
  /** A reader's token (Secret acme-analytics-reporting in the samples). */
  token: string;
  log: (line: string) => void;
}

async function read<T>(url: string, token: string): Promise<T> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

export async function runAnalyticsScenario(opts: ScenarioOptions): Promise<void> {
  const { analyticsUrl, token, log } = opts;
  let collected = { events: 0, byTopic: {} as Record<string, number> };
  await waitUntil(
    "analytics has CRM's profiles",
    async () => {
      collected = await read(`${analyticsUrl}/reports/collected`, token);
      return (collected.byTopic["customer.created"] ?? 0) > 0;
    },
    { timeoutMs: 30_000 },
  );
  const topics = Object.entries(collected.byTopic)
    .map(([topic, count]) => `${topic} ${count}`)
    .join(", ");
  log(`Analytics: collected ${collected.events} events from the internal bus (${topics})`);
  const today = new Date().toISOString().slice(0, 10);
  const cash = await read<{ currency: string; totals: { inflow: number; payments: number } }>(
    `${analyticsUrl}/reports/cash-flow?from=${today}&to=${today}`,
    token,
  );
  log(
    `Analytics: cash flow today: ${cash.totals.inflow} ${cash.currency} in from ${cash.totals.payments} payments`,
  );
  log(
    `Analytics: charts at ${analyticsUrl}/reports/page (user "reporting", its token in Secret acme-analytics-reporting)`,
  );
}

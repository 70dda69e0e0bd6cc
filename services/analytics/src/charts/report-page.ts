import type { CashFlowReport } from "../domain/cash-flow.js";
import type { ForecastReport } from "../domain/forecast.js";
import type { PlanVsFactRow } from "../domain/plan-vs-fact.js";
import { bandChart } from "./band-chart.js";
import { barChart } from "./bar-chart.js";
import { progressChart } from "./progress-chart.js";
import { escapeXml } from "./svg-text.js";

export interface ReportPageInput {
  cash: CashFlowReport;
  plans: PlanVsFactRow[];
  /** The income forecast, or why there is none yet. */
  forecast: ForecastReport | string;
}

/** A data table under each chart: the same figures for screen readers and for copying. */
function table(caption: string, head: string[], rows: Array<Array<string | number>>): string {
  const th = head.map((h) => `<th scope="col">${escapeXml(h)}</th>`).join("");
  const tr = rows
    .map((row) => `<tr>${row.map((c) => `<td>${escapeXml(String(c))}</td>`).join("")}</tr>`)
    .join("");
  return `<details><summary>${escapeXml(caption)}: the figures</summary><table><caption>${escapeXml(caption)}</caption><thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table></details>`;
}

function cashSection({ cash }: ReportPageInput): string {
  const labels = cash.rows.map((r) => r.period);
  const chart = barChart(
    {
      id: "cash",
      title: `Cash flow by ${cash.granularity}, ${cash.from} to ${cash.to} (${cash.currency})`,
      description: `Money in ${cash.totals.inflow}, money out ${cash.totals.outflow}, net ${cash.totals.net} ${cash.currency} over ${cash.rows.length} ${cash.granularity}s.`,
      valueLabel: cash.currency,
    },
    labels,
    [
      { name: "money in", color: "#1f5f99", values: cash.rows.map((r) => r.inflow) },
      { name: "money out (refunds)", color: "#c62828", values: cash.rows.map((r) => r.outflow) },
    ],
  );
  const rows = cash.rows.map((r) => [r.period, r.inflow, r.outflow, r.net, r.payments, r.refunds]);
  return `<section aria-labelledby="cash-h"><h2 id="cash-h">Cash flow</h2><figure>${chart}<figcaption>Net ${cash.totals.net} ${cash.currency} from ${cash.totals.payments} payments and ${cash.totals.refunds} refunds.</figcaption></figure>${table("Cash flow", ["period", "in", "out", "net", "payments", "refunds"], rows)}</section>`;
}

function planSection({ plans }: ReportPageInput): string {
  if (plans.length === 0)
    return `<section aria-labelledby="plan-h"><h2 id="plan-h">Plan and fact</h2><p>No plan covers this day. Plans are entered with PUT /plans/{id}.</p></section>`;
  const chart = progressChart(
    {
      id: "plans",
      title: "Plans against the fact so far",
      description: plans
        .map((p) => `${p.title ?? `${p.metric} ${p.period}`}: ${p.fact} of ${p.target}, ${p.pace}`)
        .join("; "),
      valueLabel: "share of target",
    },
    plans.map((p) => ({
      label: p.title ?? `${p.metric} ${p.period}${p.managerId ? ` (${p.managerId})` : ""}`,
      progress: p.progress,
      expected: p.expectedByNow,
      caption: `${p.fact} of ${p.target}${p.currency ? ` ${p.currency}` : ""}: ${Math.round(p.progress * 100)} %, ${p.pace}`,
    })),
  );
  const rows = plans.map((p) => [
    p.planId,
    p.metric,
    p.period,
    p.target,
    p.fact,
    p.progress,
    p.expectedByNow,
    p.pace,
  ]);
  return `<section aria-labelledby="plan-h"><h2 id="plan-h">Plan and fact</h2><figure>${chart}<figcaption>Bars show the fact as a share of the target; the black mark is where an even pace would be today.</figcaption></figure>${table("Plan and fact", ["plan", "metric", "period", "target", "fact", "progress", "expected by now", "pace"], rows)}</section>`;
}

function forecastSection({ forecast }: ReportPageInput): string {
  if (typeof forecast === "string")
    return `<section aria-labelledby="fc-h"><h2 id="fc-h">Income forecast</h2><p>${escapeXml(forecast)}</p></section>`;
  const history = forecast.history.slice(-8 * forecast.season);
  const check = forecast.backtest
    ? ` Back-test: MAPE ${forecast.backtest.mape.toFixed(1)} % against ${forecast.backtest.naiveMape.toFixed(1)} % for the naive seasonal forecast.`
    : "";
  const chart = bandChart(
    {
      id: "forecast",
      title: `Income forecast, next ${forecast.forecast.length} ${forecast.granularity}s`,
      description: `Holt-Winters forecast with an 80 % band, after ${history.length} ${forecast.granularity}s of actual income.${check}`,
      valueLabel: forecast.currency ?? "",
    },
    history,
    forecast.forecast,
  );
  const rows = forecast.forecast.map((p) => [p.period, p.value, p.low, p.high]);
  return `<section aria-labelledby="fc-h"><h2 id="fc-h">Income forecast</h2><figure>${chart}<figcaption>Dashed: forecast; shaded: where 80 % of outcomes should fall.${escapeXml(check)}</figcaption></figure>${table("Income forecast", ["period", "forecast", "low", "high"], rows)}</section>`;
}

const style =
  "body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:800px;color:#222}figure{margin:0}figcaption{font-size:.9rem;color:#333}table{border-collapse:collapse;font-size:.85rem}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}";

/** The report page: cash flow, plan against fact, and the income forecast with its band. */
export function reportPage(input: ReportPageInput): string {
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<title>Analytics: ${escapeXml(input.cash.from)} to ${escapeXml(input.cash.to)}</title>`,
    `<meta name="viewport" content="width=device-width, initial-scale=1"><style>${style}</style></head>`,
    `<body><main><h1>Analytics, ${escapeXml(input.cash.from)} to ${escapeXml(input.cash.to)}</h1>`,
    cashSection(input),
    planSection(input),
    forecastSection(input),
    "</main></body></html>",
  ].join("");
}

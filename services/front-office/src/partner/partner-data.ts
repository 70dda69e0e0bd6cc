import { sectionNote } from "../cabinet-data/cabinet-data.js";
import { toMarketOffer, type MarketOffer } from "../cabinet-data/market-offer-events.js";
import type { RecordKind, RecordStore, StoredRecord } from "../cabinet-data/record-store.js";
import { refusedRequests, type RefusedRequest } from "../cabinet-data/refusal-events.js";
import type { RefusedRequestKind } from "@symbiont/contracts";
import type { Scope } from "./partner-access.js";

// The partner cabinets' data (MISSION F4, F5) from the cabinet's own copies, cut to what the
// viewer's scope may see.

export interface PartnerOrder {
  orderId: string;
  partnerId: string;
  title: string;
  quantity?: number;
  unit?: string;
  amount?: number;
  currency?: string;
  status: string;
  createdAt?: string;
  paidAt?: string;
  commission?: number;
  partnerPayout?: number;
  refundedTotal?: number;
}

export interface Finances {
  currency: string;
  paid: number;
  commission: number;
  payout: number;
  refunded: number;
}

export interface MarketplacePartnerView {
  requests: PartnerOrder[];
  finances: Finances[];
  statistics: { total: number; byStatus: Record<string, number> };
  asOf: string | null;
  note: string;
}

const text = (v: unknown) => (typeof v === "string" ? v : undefined);
const num = (v: unknown) => (typeof v === "number" ? v : undefined);
const cents = (v: number) => Math.round(v * 100);

async function visible(records: RecordStore, kind: RecordKind, scope: Scope) {
  if (scope.kind === "refused") return [];
  if (scope.kind === "all") return records.listAll(kind);
  return records.listFor(kind, [`partner:${scope.partnerId}`]);
}

export function toPartnerOrder({ id, facts, state }: StoredRecord): PartnerOrder {
  const order: PartnerOrder = {
    orderId: id,
    partnerId: text(facts.partnerId) ?? "",
    title: text(facts.title) ?? "Order",
    status: text(state.status) ?? "requested",
  };
  for (const key of ["unit", "currency", "createdAt", "paidAt"] as const)
    if (text(facts[key])) order[key] = text(facts[key]);
  for (const key of ["quantity", "amount", "commission", "partnerPayout", "refundedTotal"] as const)
    if (num(facts[key]) !== undefined) order[key] = num(facts[key]);
  return order;
}

/** Money per currency: paid in, the marketplace's commission, the payout, refunds. */
export function financesOf(orders: PartnerOrder[]): Finances[] {
  const sums = new Map<
    string,
    { paid: number; commission: number; payout: number; refunded: number }
  >();
  for (const order of orders) {
    if (!order.paidAt || !order.currency) continue;
    const sum = sums.get(order.currency) ?? { paid: 0, commission: 0, payout: 0, refunded: 0 };
    sum.paid += cents(order.amount ?? 0);
    sum.commission += cents(order.commission ?? 0);
    sum.payout += cents(order.partnerPayout ?? 0);
    sum.refunded += cents(order.refundedTotal ?? 0);
    sums.set(order.currency, sum);
  }
  return [...sums]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, s]) => ({
      currency,
      paid: s.paid / 100,
      commission: s.commission / 100,
      payout: s.payout / 100,
      refunded: s.refunded / 100,
    }));
}

export async function marketplacePartnerView(
  records: RecordStore,
  scope: Scope,
): Promise<MarketplacePartnerView> {
  const [rows, asOf] = await Promise.all([
    visible(records, "order", scope),
    records.lastReceivedAt("order"),
  ]);
  const requests = rows
    .map(toPartnerOrder)
    .sort((a, b) => (b.createdAt ?? "").localeCompare(a.createdAt ?? ""));
  const byStatus: Record<string, number> = {};
  for (const order of requests) byStatus[order.status] = (byStatus[order.status] ?? 0) + 1;
  return {
    requests,
    finances: financesOf(requests),
    statistics: { total: requests.length, byStatus },
    asOf: asOf?.toISOString() ?? null,
    note: sectionNote("marketplace", asOf),
  };
}

/** One order if the scope may see it; undefined for another partner's (told apart from none). */
export async function partnerOrder(
  records: RecordStore,
  scope: Scope,
  orderId: string,
): Promise<PartnerOrder | undefined> {
  const rows = await visible(records, "order", scope);
  const row = rows.find((r) => r.id === orderId);
  return row ? toPartnerOrder(row) : undefined;
}

/** The report: the visible orders as CSV (one line each, amounts in major units). */
export function ordersCsv(orders: PartnerOrder[]): string {
  const cell = (v: unknown) => {
    const s = v === undefined ? "" : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const columns = [
    "orderId",
    "partnerId",
    "title",
    "quantity",
    "unit",
    "amount",
    "currency",
    "status",
    "createdAt",
    "paidAt",
    "commission",
    "partnerPayout",
    "refundedTotal",
  ] as const;
  return (
    [columns.join(","), ...orders.map((o) => columns.map((c) => cell(o[c])).join(","))].join("\n") +
    "\n"
  );
}

export interface CompanySandbox {
  sandboxId: string;
  partner: string;
  title: string;
  rights: string[];
  files: Array<{
    fileId: string;
    name: string;
    version: number;
    size?: number;
    createdAt?: string;
  }>;
}

export interface CompanyPartnerView {
  sandboxes: CompanySandbox[];
  asOf: string | null;
  note: string;
}

/** The sandboxes shared with the viewer's partner (rights not empty) and their files. */
export async function companyPartnerView(
  records: RecordStore,
  scope: Scope,
): Promise<CompanyPartnerView> {
  const [grants, asOf] = await Promise.all([
    visible(records, "sandbox", scope),
    records.lastReceivedAt("document"),
  ]);
  const shared = grants.filter((g) => Array.isArray(g.state.rights) && g.state.rights.length > 0);
  const sandboxes = await Promise.all(
    shared.map(async (grant) => {
      const sandboxId = text(grant.facts.sandboxId) ?? "";
      const files = await records.listFor("document", [`sandbox:${sandboxId}`]);
      return {
        sandboxId,
        partner: grant.id.split("|")[1] ?? "",
        title: text(grant.facts.title) || sandboxId,
        rights: (grant.state.rights as unknown[]).map(String),
        files: files
          .map(({ id, state }) => ({
            fileId: id,
            name: text(state.name) ?? id,
            version: num(state.version) ?? 1,
            ...(num(state.size) !== undefined ? { size: num(state.size) } : {}),
            ...(text(state.createdAt) ? { createdAt: text(state.createdAt) } : {}),
          }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      };
    }),
  );
  return {
    sandboxes: sandboxes.sort((a, b) => a.title.localeCompare(b.title)),
    asOf: asOf?.toISOString() ?? null,
    note: sectionNote("files", asOf),
  };
}

/** The marketplace offers the viewer may see: its partner's, or every partner's (a manager). */
export async function partnerOffers(
  records: RecordStore,
  scope: Scope,
): Promise<{ offers: MarketOffer[]; asOf: Date | undefined }> {
  const [rows, asOf] = await Promise.all([
    visible(records, "market-offer", scope),
    records.lastReceivedAt("market-offer"),
  ]);
  return {
    offers: rows.map(toMarketOffer).filter((o): o is MarketOffer => o !== undefined),
    asOf,
  };
}

/** How many of the newest refusals a page lists. */
const refusalsShown = 20;

/**
 * The viewer's requests of these kinds the marketplace refused, newest first (a manager:
 * every partner's); `orderId` narrows them to one order's.
 */
export async function partnerRefusals(
  records: RecordStore,
  scope: Scope,
  kinds: readonly RefusedRequestKind[],
  orderId?: string,
): Promise<RefusedRequest[]> {
  if (scope.kind === "refused") return [];
  const refused = await refusedRequests(
    records,
    scope.kind === "all" ? "all" : [`partner:${scope.partnerId}`],
    kinds,
  );
  return refused
    .filter((r) => orderId === undefined || r.orderId === orderId)
    .slice(0, refusalsShown);
}

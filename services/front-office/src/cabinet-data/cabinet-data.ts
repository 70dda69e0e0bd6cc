import { accountsOf } from "./customer-events.js";
import type { CustomerLinks } from "./customer-links.js";
import { findMarketOffer } from "./market-offer-events.js";
import type { RecordKind, RecordStore, StoredRecord } from "./record-store.js";
import { refusedRequests, type RefusedRequest } from "./refusal-events.js";

// The unified cabinet's data of one signed-in person (MISSION F3), from the cabinet's own
// copies: each section says where it comes from and how current it is, so a module that is
// down makes its section late, never the page broken.

export interface Order {
  orderId: string;
  requestId?: string;
  title: string;
  quantity?: number;
  unit?: string;
  amount?: number;
  currency?: string;
  status?: string;
  createdAt?: string;
  statusAt?: string;
}
export interface Document {
  fileId: string;
  name: string;
  version: number;
  contentType?: string;
  size?: number;
  createdAt?: string;
}
export interface Offer {
  suggestionId: string;
  title: string;
  category?: string;
  reason?: string;
  suggestedAt?: string;
}

export interface Section<T> {
  /** The module the data comes from over the bus. */
  source: "marketplace" | "files" | "analytics";
  items: T[];
  /** When anything last arrived from that module (null: nothing yet). */
  asOf: string | null;
  /** What a person should know about how current the section is. */
  note: string;
}

/** An order the person requested here that the marketplace has neither placed nor refused yet. */
export interface RequestedOrder {
  requestId: string;
  offerId?: string;
  title: string;
  quantity?: number;
  unit?: string;
  amount?: number;
  currency?: string;
  requestedAt?: string;
}

/** An order request the marketplace refused, with the offer's title when the cabinet knows it. */
export interface RefusedOrder extends RefusedRequest {
  title?: string;
}

export interface CabinetData {
  /** Whether CRM has told the cabinet which profile is this person's. */
  linked: boolean;
  orders: Section<Order>;
  /** Orders requested here and not yet placed or refused by the marketplace, newest first. */
  requestedOrders: RequestedOrder[];
  /** Order requests the marketplace refused (and never placed after all), newest first. */
  refusedOrders: RefusedOrder[];
  documents: Section<Document>;
  offers: Section<Offer>;
}

const labels = {
  marketplace: { things: "Orders", module: "the marketplace" },
  files: { things: "Documents", module: "file storage" },
  analytics: { things: "Offers", module: "analytics" },
} as const;

/** The note of a section: nothing has arrived yet, or as of when (and what "late" means). */
export function sectionNote(source: Section<unknown>["source"], asOf: Date | undefined): string {
  const { things, module } = labels[source];
  if (!asOf)
    return `${things} have not arrived from ${module} yet (it may be unavailable): they appear here as soon as it sends them.`;
  const when = `${asOf.toISOString().replace("T", " ").slice(0, 16)} UTC`;
  return `${things} as of ${when}, as ${module} last sent them: while it is unavailable, newer changes are late and appear here once it is back.`;
}

const text = (value: unknown) => (typeof value === "string" ? value : undefined);
const number = (value: unknown) => (typeof value === "number" ? value : undefined);
const defined = <T extends object>(value: T) =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

const toOrder = ({ id, facts, state }: StoredRecord): Order =>
  defined({
    orderId: id,
    requestId: text(facts.requestId),
    title: text(facts.title) ?? "Order",
    quantity: number(facts.quantity),
    unit: text(facts.unit),
    amount: number(facts.amount),
    currency: text(facts.currency),
    status: text(state.status),
    createdAt: text(facts.createdAt),
    statusAt: text(state.statusAt),
  });
const toDocument = ({ id, state }: StoredRecord): Document =>
  defined({
    fileId: id,
    name: text(state.name) ?? id,
    version: number(state.version) ?? 1,
    contentType: text(state.contentType),
    size: number(state.size),
    createdAt: text(state.createdAt),
  });
const toOffer = ({ id, facts }: StoredRecord): Offer =>
  defined({
    suggestionId: id,
    title: text(facts.title) ?? "Offer",
    category: text(facts.category),
    reason: text(facts.reason),
    suggestedAt: text(facts.suggestedAt),
  });

const toRequestedOrder = ({ id, facts }: StoredRecord): RequestedOrder =>
  defined({
    requestId: id,
    offerId: text(facts.offerId),
    title: text(facts.title) ?? "Order",
    quantity: number(facts.quantity),
    unit: text(facts.unit),
    amount: number(facts.amount),
    currency: text(facts.currency),
    requestedAt: text(facts.requestedAt),
  });

const newestFirst = <T>(items: T[], at: (item: T) => string | undefined) =>
  items.sort((a, b) => (at(b) ?? "").localeCompare(at(a) ?? ""));

/** The signed-in person's orders, documents and offers, each section with its freshness. */
export async function cabinetData(
  deps: { links: CustomerLinks; records: RecordStore },
  subject: string,
): Promise<CabinetData> {
  const ids = await deps.links.profileIdsOf(accountsOf(subject));
  const section = async <T>(
    kind: RecordKind,
    source: Section<T>["source"],
    map: (record: StoredRecord) => T,
    at: (item: T) => string | undefined,
  ): Promise<Section<T>> => {
    const [records, asOf] = await Promise.all([
      deps.records.listFor(
        kind,
        ids.map((id) => `customer:${id}`),
      ),
      deps.records.lastReceivedAt(kind),
    ]);
    return {
      source,
      items: newestFirst(records.map(map), at),
      asOf: asOf?.toISOString() ?? null,
      note: sectionNote(source, asOf),
    };
  };
  const owners = ids.map((id) => `customer:${id}`);
  const [orders, documents, offers, refused, requests] = await Promise.all([
    section("order", "marketplace", toOrder, (o) => o.createdAt),
    section("document", "files", toDocument, (d) => d.createdAt),
    section("offer", "analytics", toOffer, (o) => o.suggestedAt),
    refusedRequests(deps.records, owners, ["order.request"]),
    owners.length > 0 ? deps.records.listFor("order-request", owners) : [],
  ]);
  // A refused request an operator replayed once the reason was gone is an order now.
  const placed = new Set(orders.items.map((o) => o.requestId));
  const unplaced = refused.filter((r) => r.requestId === undefined || !placed.has(r.requestId));
  // One read per offer, however many of its requests were refused.
  const offerIds = [...new Set(unplaced.map((r) => r.offerId))];
  const known = await Promise.all(offerIds.map((id) => findMarketOffer(deps.records, id)));
  const titles = new Map(offerIds.map((id, i) => [id, known[i]?.title]));
  const refusedOrders = unplaced.map((r): RefusedOrder => {
    const title = titles.get(r.offerId);
    return title === undefined ? r : { ...r, title };
  });
  // A request sent here waits for the marketplace: then it is an order, or refused.
  const answered = new Set([...placed, ...refused.map((r) => r.requestId)]);
  const requestedOrders = newestFirst(
    requests.map(toRequestedOrder).filter((r) => !answered.has(r.requestId)),
    (r) => r.requestedAt,
  );
  return { linked: ids.length > 0, orders, requestedOrders, refusedOrders, documents, offers };
}

import { forwardAcross } from "./cross-bus.js";
import type { GatewayContext } from "./gateway-context.js";
import type { LedgerEntry } from "./ledger-entry.js";
import { isPoison } from "./record-poison.js";

// Dead letters: listed, and replayed on request. A partner's dead letter goes back to the
// end of its partner's queue with fresh attempts and TTL; a route's dead letter goes
// through its route again (and stays dead if still invalid); a module's dead letter is
// published again to its original topic (if it fails again it comes back as a new dead
// letter of the same entry); a message the gateway could never take is not replayed.

export interface DeadLetterView {
  key: string;
  messageId: string;
  kind: LedgerEntry["kind"];
  target: string;
  topic: string;
  attempts: number;
  lastError?: string;
  acceptedAt: string;
  deadLetteredAt: string;
  replays: number;
}

export interface DeadLetterFilter {
  partner?: string;
  kind?: LedgerEntry["kind"];
  keys?: readonly string[];
  topic?: string;
  /** Text the last error contains (case-insensitive). */
  reason?: string;
  /** Dead since (inclusive) and until (exclusive), in ms since the epoch. */
  sinceMs?: number;
  untilMs?: number;
}

export interface ReplayRequest extends DeadLetterFilter {
  /** Another outbound partner to hand partner dead letters to (one whose partner is gone). */
  to?: string;
}

export function listDeadLetters(context: GatewayContext, filter: DeadLetterFilter): LedgerEntry[] {
  const keys = filter.keys ? new Set(filter.keys) : undefined;
  const reason = filter.reason?.toLowerCase();
  const list: LedgerEntry[] = [];
  for (const entry of context.ledger.entries()) {
    if (entry.state !== "dead-lettered") continue;
    if (
      filter.partner !== undefined &&
      !(entry.kind === "partner" && entry.target === filter.partner)
    )
      continue;
    if (filter.kind !== undefined && entry.kind !== filter.kind) continue;
    if (keys && !keys.has(entry.key)) continue;
    if (filter.topic !== undefined && entry.topic !== filter.topic) continue;
    if (reason !== undefined && !(entry.lastError ?? "").toLowerCase().includes(reason)) continue;
    if (filter.sinceMs !== undefined && entry.updatedAt < filter.sinceMs) continue;
    if (filter.untilMs !== undefined && entry.updatedAt >= filter.untilMs) continue;
    list.push(entry);
  }
  return list.sort((a, b) => a.seq - b.seq);
}

export function viewDeadLetter(entry: LedgerEntry): DeadLetterView {
  return {
    key: entry.key,
    messageId: entry.messageId,
    kind: entry.kind,
    target: entry.target,
    topic: entry.topic,
    attempts: entry.attempts,
    ...(entry.lastError !== undefined ? { lastError: entry.lastError } : {}),
    acceptedAt: new Date(entry.acceptedAt).toISOString(),
    deadLetteredAt: new Date(entry.updatedAt).toISOString(),
    replays: entry.replays,
  };
}

export interface ReplayResult {
  key: string;
  result: "requeued" | "forwarded" | "republished" | "still-invalid" | "failed";
  error?: string;
}

export async function replayDeadLetters(
  context: GatewayContext,
  request: ReplayRequest,
): Promise<ReplayResult[]> {
  const results: ReplayResult[] = [];
  for (const entry of listDeadLetters(context, request)) {
    try {
      results.push(
        request.to !== undefined && entry.kind === "partner"
          ? await handOver(context, entry, request.to)
          : await replayOne(context, entry),
      );
    } catch (error) {
      results.push({ key: entry.key, result: "failed", error: (error as Error).message });
    }
  }
  for (const dispatcher of context.dispatchers.values()) dispatcher.wake();
  return results;
}

/** A partner's dead letter queued for another partner; its own entry says where it went. */
async function handOver(
  context: GatewayContext,
  entry: LedgerEntry,
  to: string,
): Promise<ReplayResult> {
  const dispatcher = context.dispatchers.get(to);
  if (!dispatcher)
    return { key: entry.key, result: "failed", error: `${to} is not an outbound partner` };
  const [queued] = await context.ledger.accept([
    {
      messageId: entry.messageId,
      kind: "partner",
      target: to,
      topic: entry.topic,
      pubsub: entry.pubsub,
      state: dispatcher.intakeState,
      payload: entry.payload ?? "null",
    },
  ]);
  await context.ledger.change(entry, {
    state: "delivered",
    attempts: entry.attempts,
    lastError: `handed over to ${to}${queued === "duplicate" ? ", which had it already" : ""}`,
    replay: true,
  });
  return { key: entry.key, result: "requeued" };
}

async function replayOne(context: GatewayContext, entry: LedgerEntry): Promise<ReplayResult> {
  const { ledger } = context;
  const payload: unknown = entry.payload === undefined ? null : JSON.parse(entry.payload);
  if (entry.kind === "partner") {
    if (!context.dispatchers.has(entry.target))
      return {
        key: entry.key,
        result: "failed",
        error: `${entry.target} is not an outbound partner any more: name another with "to"`,
      };
    const intake = context.dispatchers.get(entry.target)?.intakeState ?? "accepted";
    await ledger.change(entry, {
      state: intake,
      attempts: 0,
      seq: ledger.nextSeq(),
      acceptedAt: Date.now(),
      replay: true,
      nextAttemptAt: undefined,
    });
    return { key: entry.key, result: "requeued" };
  }
  if (entry.kind === "export" || entry.kind === "import") {
    const route = (entry.kind === "export" ? context.routes.exports : context.routes.imports).get(
      entry.topic,
    );
    if (!route)
      return {
        key: entry.key,
        result: "failed",
        error: `no ${entry.kind} route for ${entry.topic} any more`,
      };
    const forwarded = await forwardAcross(context, route, { id: entry.messageId, payload });
    if (!forwarded.ok) {
      await ledger.change(entry, {
        state: "dead-lettered",
        attempts: entry.attempts + 1,
        lastError: forwarded.error,
        replay: true,
      });
      return { key: entry.key, result: "still-invalid", error: forwarded.error };
    }
    await ledger.change(entry, { state: "delivered", attempts: entry.attempts + 1, replay: true });
    return { key: entry.key, result: "forwarded" };
  }
  if (isPoison(context, entry))
    return {
      key: entry.key,
      result: "failed",
      error: "a message the gateway could never take is kept for inspection, not replayed",
    };
  // The subscriber may drop it again before the replay is recorded: its dead letter then
  // waits for this (handleDeadLetter), or it would meet the entry still dead-lettered.
  const replayed = (async () => {
    await context.bus.publish(entry.pubsub, entry.topic, {
      specversion: "1.0",
      id: entry.messageId,
      source: context.appId,
      type: entry.topic,
      datacontenttype: "application/json",
      data: payload,
    });
    await ledger.change(entry, { state: "delivered", attempts: entry.attempts + 1, replay: true });
  })();
  context.dropsReplaying.set(entry.key, replayed);
  try {
    await replayed;
  } finally {
    if (context.dropsReplaying.get(entry.key) === replayed)
      context.dropsReplaying.delete(entry.key);
  }
  return { key: entry.key, result: "republished" };
}

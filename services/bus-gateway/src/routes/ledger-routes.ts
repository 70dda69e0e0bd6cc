import { parseInput } from "@symbiont/service-kit";
import express, { Router, type RequestHandler } from "express";
import { readLedger, replay, type AdminAction } from "../auth/admin-access.js";
import { z } from "zod";
import { listDeadLetters, replayDeadLetters, viewDeadLetter } from "../domain/dead-letters.js";
import type { GatewayContext } from "../domain/gateway-context.js";
import { auditLedger } from "../domain/ledger-audit.js";
import { ledgerStates } from "../domain/ledger-entry.js";
import { partnerStats } from "../domain/partner-stats.js";
import { foldRecords, type RecordStore } from "../domain/ledger.js";
import type { LedgerEntry } from "../domain/ledger-entry.js";

// The ledger's HTTP face: dead letters (list, replay), the audit, entries, partner state.
// Served on the admin port only; every route is gated (reading: get busgateways/ledger,
// replaying: create busgateways/replay).

const kinds = ["partner", "export", "import", "inbound", "drop"] as const;
const deadLetterQuery = z
  .object({ partner: z.string().optional(), kind: z.enum(kinds).optional() })
  .strict();
const replayBody = z
  .object({
    partner: z.string().optional(),
    kind: z.enum(kinds).optional(),
    keys: z.array(z.string()).max(10_000).optional(),
    to: z.string().min(1).optional(),
  })
  .strict();
const entriesQuery = z
  .object({
    kind: z.enum(kinds).optional(),
    target: z.string().optional(),
    state: z.enum(ledgerStates).optional(),
    /** One message's entries: its history across buses, partners and drops. */
    messageId: z.string().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(100_000).default(1_000),
  })
  .strict();

export function ledgerRoutes(
  context: GatewayContext,
  store: Pick<RecordStore, "streamAll" | "readCompacted" | "findRecords">,
  gate: (action: AdminAction) => RequestHandler,
): Router {
  const router = Router();
  router.get("/v1/deadletters", gate(readLedger), (req, res) => {
    const query = parseInput(deadLetterQuery, req.query, "query");
    const list = listDeadLetters(context, query).map(viewDeadLetter);
    res.json({ count: list.length, deadLetters: list });
  });
  router.post("/v1/deadletters/replay", gate(replay), express.json(), async (req, res) => {
    const body = parseInput(replayBody, req.body ?? {}, "body");
    const results = await replayDeadLetters(context, body);
    res.json({
      replayed: results.filter(
        (result) => result.result !== "failed" && result.result !== "still-invalid",
      ).length,
      results,
    });
  });
  router.get("/v1/ledger/audit", gate(readLedger), async (_req, res) => {
    res.json(await auditLedger(store, context.ledger));
  });
  router.get("/v1/ledger/entries", gate(readLedger), async (req, res) => {
    const query = parseInput(entriesQuery, req.query, "query");
    const matches = (entry: LedgerEntry) =>
      (query.kind === undefined || entry.kind === query.kind) &&
      (query.target === undefined || entry.target === query.target) &&
      (query.state === undefined || entry.state === query.state) &&
      (query.messageId === undefined || entry.messageId === query.messageId);
    const list = [...context.ledger.entries()].filter(matches);
    // Delivered entries are not kept in memory: the database answers for them (one
    // message's records, or delivered records of a kind or target).
    if (query.state === undefined || query.state === "delivered") {
      const records = await store.findRecords(
        query.messageId !== undefined
          ? { messageId: query.messageId }
          : { kind: query.kind, target: query.target, state: "delivered" },
        query.messageId !== undefined ? 10_000 : query.limit,
      );
      for (const entry of foldRecords(records).values())
        if (entry.state === "delivered" && !context.ledger.get(entry.key) && matches(entry))
          list.push(entry);
    }
    const view = list
      .sort((a, b) => a.seq - b.seq)
      .slice(0, query.limit)
      .map(
        ({
          payload: _payload,
          payloadRevision: _payloadRevision,
          payloadSegment: _payloadSegment,
          lastSegment: _lastSegment,
          ...entry
        }) => ({
          ...entry,
          acceptedAt: new Date(entry.acceptedAt).toISOString(),
          updatedAt: new Date(entry.updatedAt).toISOString(),
        }),
      );
    res.json({ count: view.length, entries: view });
  });
  router.get("/v1/partners", gate(readLedger), (_req, res) => {
    const partners = [...context.dispatchers.values()].map((dispatcher) => ({
      name: dispatcher.partner.name,
      consumes: dispatcher.partner.consumes,
      rateLimit: dispatcher.partner.rateLimit,
      throttled: dispatcher.throttled,
      ...partnerStats(context.ledger, dispatcher.partner.name, dispatcher.circuit.state),
    }));
    res.json({ partners });
  });
  return router;
}

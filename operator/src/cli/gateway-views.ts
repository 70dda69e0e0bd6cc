import type { DeadLetter, LedgerEntryView, ReplayOutcome } from "./gateway-admin.js";
import { renderTable } from "./render-table.js";

// What `kubectl symbiont deadletters` and `trace` print.

export function renderDeadLetters(list: DeadLetter[]): string {
  if (list.length === 0) return "No dead letters.";
  return renderTable(
    ["MESSAGE ID", "KIND", "TARGET", "TOPIC", "ATTEMPTS", "REPLAYS", "DEAD SINCE", "LAST ERROR"],
    list.map((d) => [
      d.messageId,
      d.kind,
      d.target,
      d.topic,
      d.attempts,
      d.replays,
      d.deadLetteredAt,
      d.lastError ?? "",
    ]),
  );
}

export function renderReplay(outcome: ReplayOutcome): string {
  const lines = [`replayed ${outcome.replayed} of ${outcome.results.length} dead letter(s)`];
  for (const result of outcome.results) {
    if (result.result === "failed" || result.result === "still-invalid")
      lines.push(`  ${result.key}: ${result.result}${result.error ? `: ${result.error}` : ""}`);
  }
  return lines.join("\n");
}

export function renderTrace(messageId: string, entries: LedgerEntryView[]): string {
  const sorted = [...entries].sort((a, b) => a.acceptedAt.localeCompare(b.acceptedAt));
  return [
    `Message ${messageId}: ${entries.length} ledger entr${entries.length === 1 ? "y" : "ies"}`,
    renderTable(
      [
        "KIND",
        "TARGET",
        "TOPIC",
        "STATE",
        "ATTEMPTS",
        "REPLAYS",
        "ACCEPTED",
        "UPDATED",
        "LAST ERROR",
      ],
      sorted.map((e) => [
        e.kind,
        e.target,
        e.topic,
        e.state,
        e.attempts,
        e.replays ?? 0,
        e.acceptedAt,
        e.updatedAt,
        e.lastError ?? "",
      ]),
    ),
  ].join("\n");
}

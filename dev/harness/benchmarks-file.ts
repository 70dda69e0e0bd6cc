import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./tool-paths.js";

/** Marks hand-written notes in a section: a new run of the benchmark keeps them. */
export const notesStart = "<!-- notes: kept when the benchmark rewrites its section -->";
export const notesEnd = "<!-- /notes -->";

/**
 * Replaces a benchmark's section of BENCHMARKS.md (its first line, a `## ` header, names it)
 * or appends it, keeping the others, and the old section's notes (see `withSection`).
 */
export function recordBenchmarkSection(section: string): void {
  const file = join(repoRoot, "BENCHMARKS.md");
  const text = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n\n";
  writeFileSync(file, withSection(text, section));
}

/**
 * The file's text with `section` in place of the section of the same header (or appended).
 * Notes between `notesStart` and `notesEnd` in the old section move to the new one, before
 * its `Run it:` line (or at its end).
 */
export function withSection(text: string, section: string): string {
  const header = section.split("\n")[0]!;
  const start = text.indexOf(header);
  if (start === -1) return `${text.trimEnd()}\n\n${section}`;
  const after = text.indexOf("\n## ", start + header.length);
  const old = text.slice(start, after === -1 ? undefined : after + 1);
  const from = old.indexOf(notesStart);
  const to = old.indexOf(notesEnd, from);
  let updated = section;
  if (from !== -1 && to !== -1) {
    const notes = `${old.slice(from, to + notesEnd.length)}\n\n`;
    const runIt = section.indexOf("\nRun it:");
    updated =
      runIt === -1
        ? `${section.trimEnd()}\n\n${notes}`
        : `${section.slice(0, runIt + 1)}${notes}${section.slice(runIt + 1)}`;
  }
  return `${text.slice(0, start)}${updated}${after === -1 ? "" : `\n${text.slice(after + 1)}`}`;
}

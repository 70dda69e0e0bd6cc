import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./tool-paths.js";

/**
 * Replaces a benchmark's section of BENCHMARKS.md (its first line, a `## ` header, names it)
 * or appends it, keeping the others.
 */
export function recordBenchmarkSection(section: string): void {
  const file = join(repoRoot, "BENCHMARKS.md");
  const text = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n\n";
  const header = section.split("\n")[0]!;
  const start = text.indexOf(header);
  if (start === -1) {
    writeFileSync(file, `${text.trimEnd()}\n\n${section}`);
    return;
  }
  const after = text.indexOf("\n## ", start + header.length);
  writeFileSync(
    file,
    `${text.slice(0, start)}${section}${after === -1 ? "" : `\n${text.slice(after + 1)}`}`,
  );
}

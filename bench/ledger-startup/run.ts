import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

// `make bench` runs this with plain tsx; the benchmark imports workspace packages by their
// TypeScript sources, which needs the `symbiont-source` condition: run it in a child.
const script = fileURLToPath(new URL("./ledger-startup-bench.ts", import.meta.url));
const child = spawnSync(
  process.execPath,
  ["--conditions=symbiont-source", "--import", "tsx", script, ...process.argv.slice(2)],
  { stdio: "inherit" },
);
process.exit(child.status ?? 1);

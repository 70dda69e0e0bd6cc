import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * Runs a script in a child node that imports workspace packages by their TypeScript sources
 * (the `symbiont-source` condition, which plain tsx lacks), and exits with its status.
 */
export function runWithSources(script: URL): never {
  const child = spawnSync(
    process.execPath,
    [
      "--conditions=symbiont-source",
      "--import",
      "tsx",
      fileURLToPath(script),
      ...process.argv.slice(2),
    ],
    { stdio: "inherit" },
  );
  process.exit(child.status ?? 1);
}

import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "./tool-paths.js";

/**
 * The path of Debian's chromium for the browser tests, installed by hack/install-chromium.sh
 * (apt-get) when it is missing; SYMBIONT_CHROMIUM names another binary. Throws with the
 * script's message when it can be neither found nor installed.
 */
export function chromiumPath(): string {
  try {
    return execFileSync(join(repoRoot, "hack/install-chromium.sh"), {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    }).trim();
  } catch (error) {
    throw new Error(
      `chromium for the browser tests: ${(error as Error).message}; see hack/install-chromium.sh`,
    );
  }
}

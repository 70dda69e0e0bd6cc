import { join } from "node:path";
import { defineConfig } from "vitest/config";
import { toolsCacheDir } from "./dev/harness/tool-paths.js";

// Workspace packages export their TypeScript sources under the `symbiont-source` condition
// (as tsc's customConditions and `node --conditions=symbiont-source` do); the rest are Vite's
// default server conditions.
const sourceConditions = ["symbiont-source", "module", "node", "development|production"];
const resolveSources = {
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions } },
};

// Two projects: `unit` needs nothing running; `integration` runs against the real
// control plane (and, per test, real daprd/FerretDB/brokers) that the global setup starts.
export const config = defineConfig({
  // Beside the built tools, outside the checkout: vitest keeps each file's last duration there
  // and starts the longest first, so a warm machine's run does not end on one long file.
  cacheDir: join(toolsCacheDir(), "vitest"),
  test: {
    // Two files at a time (two cores); see the integration project.
    maxWorkers: 2,
    minWorkers: 1,
    // Unit test files run in worker threads that keep their module cache from one file to the
    // next: most of a unit file's time was loading the same libraries again (the unit project
    // took 160 s, 35 s now). So a unit test must leave no global state behind (fake timers
    // restored, no module mocks). Integration files each get a fresh process (forks).
    poolOptions: { threads: { isolate: false } },
    projects: [
      {
        ...resolveSources,
        test: {
          name: "unit",
          pool: "threads",
          include: [
            "operator/src/**/*.test.ts",
            "packages/*/src/**/*.test.ts",
            "services/*/src/**/*.test.ts",
            "test/unit/**/*.test.ts",
          ],
        },
      },
      {
        ...resolveSources,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          globalSetup: ["test/support/global-setup.ts"],
          setupFiles: ["test/support/worker-setup.ts"],
          // Two files at a time, each in its own fork: most of a test's time is spent waiting
          // for real processes (sidecars, brokers, the API server), so two overlap on two
          // cores; every test must pass on a loaded machine anyway.
          pool: "forks",
          poolOptions: { forks: { singleFork: false } },
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});

// vitest loads the config's default export; the rest of the project uses named exports.
// eslint-disable-next-line no-restricted-syntax
export default config;

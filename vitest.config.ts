import { defineConfig } from "vitest/config";

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
  test: {
    projects: [
      {
        ...resolveSources,
        test: {
          name: "unit",
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
          // Two cores: one file at a time (in one fork) keeps the control plane responsive.
          pool: "forks",
          poolOptions: { forks: { singleFork: true } },
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

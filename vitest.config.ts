import { defineConfig } from "vitest/config";

// Two projects: `unit` needs nothing running; `integration` runs against the real
// control plane (and, per test, real daprd/FerretDB/brokers) that the global setup starts.
export const config = defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: [
            "operator/src/**/*.test.ts",
            "services/*/src/**/*.test.ts",
            "test/unit/**/*.test.ts",
          ],
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          globalSetup: ["test/harness/global-setup.ts"],
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

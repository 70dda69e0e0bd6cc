import { describe, expect, it } from "vitest";
import { loadConfig } from "./load-config.js";
import { serviceEnv } from "./service-env.js";

const good = {
  SYMBIONT_APP_ID: "crm",
  SYMBIONT_PUBSUB_INTERNAL: "eco-internal-bus",
  DATABASE_URL: "mongodb://127.0.0.1:27017/crm",
};

describe("loadConfig", () => {
  it("when the environment is complete, then defaults fill the rest", () => {
    const config = loadConfig(serviceEnv, good);
    expect(config).toMatchObject({ PORT: 8080, DAPR_HTTP_PORT: 3500, LOG_LEVEL: "info" });
  });

  it("when a required variable is missing, then the error names it", () => {
    const { DATABASE_URL: _missing, ...env } = good;
    expect(() => loadConfig(serviceEnv, env)).toThrow(/DATABASE_URL is not set/);
  });

  it("when variables are wrong, then the error names each of them", () => {
    expect(() =>
      loadConfig(serviceEnv, { ...good, PORT: "http", DATABASE_URL: "postgres://x" }),
    ).toThrow(/PORT is invalid.*DATABASE_URL is invalid|DATABASE_URL is invalid.*PORT is invalid/);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadGatewayConfig, parseGatewayFile } from "./config.js";

export const sampleFile = {
  ecosystem: "acme",
  namespace: "shop",
  internalPubsub: "acme-internal-bus",
  corporatePubsub: "acme-corporate-bus",
  delivery: {
    maxAttempts: 10,
    backoffInitialMs: 1000,
    backoffMaxMs: 60000,
    bufferTtlMs: 86400000,
    deadLetter: true,
  },
  signing: { keyEnv: "SYMBIONT_SIGNING_KEY" },
  routes: [
    {
      name: "orders-out",
      topic: "order.created",
      direction: "export",
      schema: { type: "object" },
      redact: [{ path: "$.customer.email", action: "remove" }],
      sign: true,
    },
  ],
  partners: [
    {
      name: "sms",
      category: "messaging",
      direction: "both",
      binding: "acme-partner-sms",
      consumes: ["notification.sms"],
      produces: ["sms.status"],
      delivery: {
        maxAttempts: 5,
        backoffInitialMs: 500,
        backoffMaxMs: 30000,
        bufferTtlMs: 3600000,
      },
      rateLimit: { requestsPerSecond: 50, burst: 100 },
      auth: { type: "hmac", secretEnv: "SYMBIONT_PARTNER_SMS_SECRET" },
    },
  ],
};

describe("the gateway configuration", () => {
  it("when the file follows the contract, then it loads with defaults filled in", () => {
    const file = parseGatewayFile(JSON.stringify(sampleFile));
    expect(file.partners[0]?.delivery).toMatchObject({
      maxAttempts: 5,
      timeoutMs: 10_000,
      circuitThreshold: 3,
    });
    expect(file.routes[0]?.sign).toBe(true);
  });

  it.each([
    [
      (f: Record<string, unknown>) => ({ ...f, ecosystem: "Acme!" }),
      /ecosystem: must be a Kubernetes object name/,
    ],
    [(f: Record<string, unknown>) => ({ ...f, internalPubsub: undefined }), /internalPubsub/],
    [
      (f: typeof sampleFile) => ({
        ...f,
        partners: [{ ...f.partners[0], auth: { type: "hmac", secretEnv: "lower" } }],
      }),
      /partners\.0\.auth\.secretEnv/,
    ],
    [
      (f: typeof sampleFile) => ({ ...f, partners: [{ ...f.partners[0], category: "crypto" }] }),
      /partners\.0\.category/,
    ],
    [
      (f: typeof sampleFile) => ({
        ...f,
        routes: [{ ...f.routes[0], redact: [{ path: "customer", action: "remove" }] }],
      }),
      /routes\.0\.redact\.0\.path/,
    ],
    [
      (f: typeof sampleFile) => ({ ...f, signing: undefined }),
      /routes\.0\.sign: needs signing\.keyEnv/,
    ],
    [
      (f: typeof sampleFile) => ({ ...f, routes: [{ ...f.routes[0], topic: "x.deadletter" }] }),
      /routes\.0\.topic/,
    ],
  ] as Array<[(f: typeof sampleFile) => unknown, RegExp]>)(
    "when a field is wrong, then the error names it (%#)",
    (mutate, message) => {
      expect(() => parseGatewayFile(JSON.stringify(mutate(sampleFile)))).toThrow(message);
    },
  );

  it("when a secret named by the file is missing from the environment, then start stops naming it", () => {
    const dir = mkdtempSync(join(tmpdir(), "gw-config-"));
    try {
      const path = join(dir, "config.json");
      writeFileSync(path, JSON.stringify(sampleFile));
      const env = {
        SYMBIONT_GATEWAY_CONFIG: path,
        DATABASE_URL: "mongodb://127.0.0.1:1/x",
        SYMBIONT_SIGNING_KEY: "s",
        APP_API_TOKEN: "a-token-of-24-characters",
      };
      expect(() => loadGatewayConfig(env)).toThrow(
        /SYMBIONT_PARTNER_SMS_SECRET \(named by partners\.0\.auth\.secretEnv\) is not set/,
      );
      const config = loadGatewayConfig({ ...env, SYMBIONT_PARTNER_SMS_SECRET: "p" });
      expect(config.appId).toBe("acme-bus-gateway");
      expect(config.partnerSecrets.get("sms")).toBe("p");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("when a partner's previous key is named, then start needs it and keeps it apart from the current one", () => {
    const dir = mkdtempSync(join(tmpdir(), "gw-config-"));
    try {
      const path = join(dir, "config.json");
      const rotating = {
        ...sampleFile,
        partners: sampleFile.partners.map((partner) => ({
          ...partner,
          auth: {
            type: "hmac",
            secretEnv: "SYMBIONT_PARTNER_SMS_SECRET",
            previousSecretEnv: "SYMBIONT_PARTNER_SMS_SECRET_PREVIOUS",
          },
        })),
      };
      writeFileSync(path, JSON.stringify(rotating));
      const env = {
        SYMBIONT_GATEWAY_CONFIG: path,
        DATABASE_URL: "mongodb://127.0.0.1:1/x",
        SYMBIONT_SIGNING_KEY: "s",
        APP_API_TOKEN: "a-token-of-24-characters",
        SYMBIONT_PARTNER_SMS_SECRET: "new",
      };
      expect(() => loadGatewayConfig(env)).toThrow(
        /SYMBIONT_PARTNER_SMS_SECRET_PREVIOUS \(named by partners\.0\.auth\.previousSecretEnv\) is not set/,
      );
      const config = loadGatewayConfig({ ...env, SYMBIONT_PARTNER_SMS_SECRET_PREVIOUS: "old" });
      expect(config.partnerSecrets.get("sms")).toBe("new");
      expect(config.partnerPreviousSecrets.get("sms")).toBe("old");
      expect(config.file.partners[0]?.auth).toMatchObject({ toleranceMs: 300_000 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [undefined, /APP_API_TOKEN: is not set/],
    ["short", /APP_API_TOKEN: must be at least 16 characters/],
  ])(
    "when the sidecar's app token is %s, then start stops naming APP_API_TOKEN",
    (token, message) => {
      const dir = mkdtempSync(join(tmpdir(), "gw-config-"));
      try {
        const path = join(dir, "config.json");
        writeFileSync(path, JSON.stringify({ ...sampleFile, partners: [], signing: undefined }));
        const env = {
          SYMBIONT_GATEWAY_CONFIG: path,
          DATABASE_URL: "mongodb://127.0.0.1:1/x",
          ...(token === undefined ? {} : { APP_API_TOKEN: token }),
        };
        expect(() => loadGatewayConfig(env)).toThrow(message);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it("when a Lease is named, then the gateway is one of several replicas, named by its pod and reached at its pod's address; a Lease too short to renew is refused", () => {
    const dir = mkdtempSync(join(tmpdir(), "gw-config-"));
    try {
      const path = join(dir, "config.json");
      writeFileSync(path, JSON.stringify(sampleFile));
      const env = {
        SYMBIONT_GATEWAY_CONFIG: path,
        DATABASE_URL: "mongodb://127.0.0.1:1/x",
        SYMBIONT_SIGNING_KEY: "s",
        SYMBIONT_PARTNER_SMS_SECRET: "p",
        APP_API_TOKEN: "a-token-of-24-characters",
      };
      expect(loadGatewayConfig(env).lease).toBeUndefined();
      const replicated = {
        ...env,
        SYMBIONT_GATEWAY_LEASE: "acme-bus-gateway",
        POD_NAME: "acme-bus-gateway-7c9-x2",
        POD_IP: "10.1.2.3",
      };
      expect(loadGatewayConfig(replicated).lease).toEqual({
        name: "acme-bus-gateway",
        identity: "acme-bus-gateway-7c9-x2",
        durationSeconds: 10,
        host: "10.1.2.3",
      });
      expect(() =>
        loadGatewayConfig({ ...replicated, SYMBIONT_GATEWAY_LEASE_SECONDS: "1" }),
      ).toThrow(/environment: SYMBIONT_GATEWAY_LEASE_SECONDS: .*2/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("when the file is not JSON, then the error says so", () => {
    expect(() => parseGatewayFile("{nope", "config.json")).toThrow(/config.json: not valid JSON/);
  });
});

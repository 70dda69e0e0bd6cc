import { Router } from "express";
import type { Registry } from "prom-client";

export interface Readiness {
  /** Named checks; the service is ready only when every one answers true. */
  checks: Record<string, () => Promise<boolean>>;
  /** Set at shutdown: not ready any more, so no new traffic is routed here. */
  draining: boolean;
}

/** `/healthz` (the process answers), `/readyz` (its dependencies answer), `/metrics`. */
export function healthRoutes(readiness: Readiness, registry: Registry): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.status(200).json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    const names = Object.keys(readiness.checks);
    const results = await Promise.all(
      names.map(async (name) => {
        try {
          return await readiness.checks[name]!();
        } catch {
          return false;
        }
      }),
    );
    const checks = Object.fromEntries(names.map((name, i) => [name, results[i] ? "ok" : "down"]));
    const ready = !readiness.draining && results.every(Boolean);
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? "ready" : readiness.draining ? "draining" : "not ready", checks });
  });
  router.get("/metrics", async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}

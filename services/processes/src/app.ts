import { randomUUID } from "node:crypto";
import { createServiceApp, type ServiceRuntime } from "@symbiont/service-kit";
import { Router, type Express } from "express";
import type { Caller } from "./auth/callers.js";
import { requireCaller } from "./auth/require-caller.js";
import { createCustomerStore } from "./data/customer-store.js";
import { createDefinitionStore } from "./data/definition-store.js";
import { createInstanceStore } from "./data/instance-store.js";
import { createKpiStore } from "./data/kpi-store.js";
import { createRatingStore } from "./data/rating-store.js";
import { createTaskStore } from "./data/task-store.js";
import { ProcessEngine } from "./domain/process-engine.js";
import type { ProcessesDeps, ProcessSettings } from "./domain/processes-deps.js";
import { reportOverdue } from "./domain/task-service.js";
import { processesSubscriptions } from "./events/processes-subscriptions.js";
import { definitionRoutes } from "./routes/definition-routes.js";
import { instanceRoutes } from "./routes/instance-routes.js";
import { taskRoutes } from "./routes/task-routes.js";

export interface ProcessesAppOptions {
  runtime: ServiceRuntime;
  callers: readonly Caller[];
  settings: ProcessSettings;
  appApiToken?: string;
  maxBodyBytes?: number;
  /** How often open tasks are checked against their due dates (0: never, tests call it). */
  overdueCheckMs?: number;
  now?: () => Date;
}

export interface ProcessesApp {
  app: Express;
  deps: ProcessesDeps;
  engine: ProcessEngine;
  /** Stops the overdue check and the live instances (their state stays saved). */
  stop(): Promise<void>;
}

/**
 * The processes app (MISSION C4). At start it deploys the module's definitions (a changed
 * file becomes a new version) and resumes every instance that was running. Never listens.
 */
export async function buildApp(options: ProcessesAppOptions): Promise<ProcessesApp> {
  const { runtime } = options;
  const deps: ProcessesDeps = {
    definitions: createDefinitionStore(runtime.connection),
    instances: createInstanceStore(runtime.connection),
    tasks: createTaskStore(runtime.connection),
    customers: createCustomerStore(runtime.connection),
    kpis: createKpiStore(runtime.connection),
    ratings: createRatingStore(runtime.connection),
    outbox: runtime.outbox,
    logger: runtime.logger,
    settings: options.settings,
    now: options.now ?? (() => new Date()),
    newId: randomUUID,
  };
  await Promise.all(
    [deps.definitions, deps.instances, deps.tasks, deps.customers, deps.kpis, deps.ratings].map(
      (s) => s.ready(),
    ),
  );
  const engine = new ProcessEngine(deps);
  const deployed = await engine.deployFolder();
  const resumed = await engine.resumeAll();
  runtime.logger.info(
    { definitions: deployed.map((d) => `${d.key}@${d.version}`), resumed },
    "definitions deployed, running instances resumed",
  );
  const overdueCheckMs = options.overdueCheckMs ?? 30_000;
  const timer =
    overdueCheckMs > 0
      ? setInterval(() => {
          reportOverdue(deps).catch((error: unknown) =>
            runtime.logger.warn({ err: error }, "overdue check failed; tried again later"),
          );
        }, overdueCheckMs)
      : undefined;
  timer?.unref();
  const maxBodyBytes = options.maxBodyBytes ?? 102_400;
  const admin = requireCaller(options.callers, "admin");
  const anyCaller = requireCaller(options.callers, "manager", "admin");
  const api = Router();
  api.use(["/definitions", "/instances"], admin);
  api.use(["/tasks", "/kpis"], anyCaller);
  api.use(definitionRoutes(deps, engine, maxBodyBytes), instanceRoutes(deps, engine));
  api.use(taskRoutes(deps, engine));
  const app = createServiceApp({
    logger: runtime.logger,
    metrics: runtime.metrics,
    readiness: runtime.readiness,
    maxBodyBytes,
    routers: [processesSubscriptions(runtime, deps, engine, options.appApiToken), api],
  });
  return {
    app,
    deps,
    engine,
    async stop() {
      if (timer) clearInterval(timer);
      await engine.stop();
    },
  };
}

import { AppError, parseInput } from "@symbiont/service-kit";
import { Router } from "express";
import { z } from "zod";
import type { PartnerEndpoint } from "../domain/partner-endpoint.js";
import { CallCentreError } from "./call-centre.js";
import { Telephony } from "./telephony.js";

// The telephony personality's admin API, for every partner of kind `telephony`: its settings
// (where callback requests go, the queues and their managers), calls as a caller makes them
// (ring, press keys, hang up), "call me back" forms, and its state (managers busy or free,
// who waits, the callback requests sent with the gateway's answers).

const phone = z.string().regex(/^\+\d{7,15}$/, "expected an E.164 number (+<digits>)");
const queueName = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, "lowercase letters, digits, dashes");
const managerId = z.string().regex(/^[A-Za-z0-9_.:@-]{1,128}$/);
const settingsBody = z.strictObject({
  callbackUrl: z.url().optional(),
  queues: z
    .array(
      z.strictObject({
        name: queueName,
        key: z.string().regex(/^[0-9]$/, "one digit"),
        managers: z.array(managerId).max(200),
      }),
    )
    .min(1)
    .max(9)
    .refine((queues) => new Set(queues.map((q) => q.key)).size === queues.length, "keys repeat")
    .optional(),
});
const callBody = z.strictObject({ from: phone });
const keysBody = z.strictObject({ digits: z.string().regex(/^[0-9*#]{1,8}$/) });
const formBody = z.strictObject({ phone, queue: queueName });

const statusOf: Record<CallCentreError["reason"], number> = {
  UnknownCall: 404,
  UnknownQueue: 400,
  InvalidKey: 400,
  NotInIvr: 409,
};

export function telephonyRoutes(endpoints: ReadonlyMap<string, PartnerEndpoint>): Router {
  const telephonies = new Map(
    [...endpoints.values()]
      .filter((endpoint) => endpoint.partner.kind === "telephony")
      .map((endpoint) => [endpoint.partner.name, new Telephony(endpoint)]),
  );
  const find = (name: string): Telephony => {
    const telephony = telephonies.get(name);
    if (!telephony)
      throw new AppError({
        status: 404,
        code: "NotFound",
        message: `no telephony partner ${name}`,
      });
    return telephony;
  };
  const run = <T>(work: () => T): T => {
    try {
      return work();
    } catch (error) {
      if (!(error instanceof CallCentreError)) throw error;
      throw new AppError({
        status: statusOf[error.reason],
        code: error.reason,
        message: error.message,
      });
    }
  };
  const router = Router();
  router.put("/admin/partners/:name/telephony", (req, res) => {
    const telephony = find(req.params.name);
    const { callbackUrl, queues } = parseInput(settingsBody, req.body, "body");
    if (callbackUrl) telephony.settings = { ...telephony.settings, callbackUrl };
    if (queues) telephony.configure(queues);
    res.json({ ...telephony.settings, queues: telephony.centre.queues });
  });
  router.get("/admin/partners/:name/telephony", (req, res) => {
    const telephony = find(req.params.name);
    res.json({
      ...telephony.settings,
      ...telephony.centre.load(),
      calls: telephony.centre.calls(),
      callbacks: telephony.callbacks,
    });
  });
  router.post("/admin/partners/:name/calls", (req, res) => {
    const telephony = find(req.params.name);
    const { from } = parseInput(callBody, req.body, "body");
    res.status(201).json({ call: telephony.centre.arrive(from) });
  });
  router.post("/admin/partners/:name/calls/:callId/keys", async (req, res) => {
    const telephony = find(req.params.name);
    const { digits } = parseInput(keysBody, req.body, "body");
    const { call, callback } = run(() => telephony.centre.press(req.params.callId, digits));
    res.json({ call, ...(callback ? { callback: await telephony.send(callback) } : {}) });
  });
  router.post("/admin/partners/:name/calls/:callId/hangup", (req, res) => {
    const telephony = find(req.params.name);
    res.json({ call: run(() => telephony.centre.hangUp(req.params.callId)) });
  });
  router.post("/admin/partners/:name/callbacks", async (req, res) => {
    const telephony = find(req.params.name);
    const body = parseInput(formBody, req.body, "body");
    const request = run(() => telephony.centre.requestCallback(body.phone, body.queue));
    res.json({ callback: await telephony.send(request) });
  });
  return router;
}

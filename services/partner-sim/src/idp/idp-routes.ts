import express, { Router, type Response } from "express";
import type Provider from "oidc-provider";
import type { IdpConfig } from "./idp-config.js";
import type { IdpMode } from "./identity-provider.js";
import { idpPeople } from "./idp-people.js";
import { idpMessagePage, idpSignInPage } from "./idp-pages.js";

/** The providers, made once partner-sim knows the URL it is reached at (their issuers). */
export class IdentityProviders {
  readonly #providers = new Map<string, Provider>();
  readonly #handlers = new Map<string, ReturnType<Provider["callback"]>>();
  readonly #modes = new Map<string, IdpMode>();
  constructor(readonly configs: IdpConfig[]) {}

  open(make: (idp: IdpConfig, mode: () => IdpMode) => Provider): void {
    for (const idp of this.configs) {
      const provider = make(idp, () => this.mode(idp.name));
      this.#providers.set(idp.name, provider);
      this.#handlers.set(idp.name, provider.callback());
    }
  }

  mode(name: string): IdpMode {
    return this.#modes.get(name) ?? "ok";
  }

  setMode(name: string, mode: IdpMode): void {
    this.#modes.set(name, mode);
  }

  get(name: string): Provider | undefined {
    return this.#providers.get(name);
  }

  handler(name: string): ReturnType<Provider["callback"]> | undefined {
    return this.#handlers.get(name);
  }
}

/**
 * `/idp/<name>/...`: each provider's sign-in page (pick a test person, or cancel, which
 * answers the relying party with `access_denied`), then the provider's own endpoints.
 */
export function idpRoutes(idps: IdentityProviders): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: "4kb" });
  const send = (res: Response, status: number, body: string) =>
    res.status(status).type("html").set("cache-control", "no-store").send(body);
  const find = (name: string) => {
    const idp = idps.configs.find((i) => i.name === name);
    const provider = idps.get(name);
    return idp && provider ? { idp, provider } : undefined;
  };

  router.get("/idp/:name/interaction/:uid", async (req, res, next) => {
    const found = find(req.params.name);
    if (!found) return next();
    const details = await found.provider.interactionDetails(req, res);
    send(
      res,
      200,
      idpSignInPage({
        idp: found.idp,
        uid: details.uid,
        clientId: String(details.params.client_id),
        people: idpPeople[found.idp.kind],
      }),
    );
  });

  router.post("/idp/:name/interaction/:uid/login", form, async (req, res, next) => {
    const found = find(req.params.name);
    if (!found) return next();
    await found.provider.interactionDetails(req, res);
    const sub = typeof req.body?.sub === "string" ? req.body.sub : "";
    if (!idpPeople[found.idp.kind].some((person) => person.sub === sub))
      return send(
        res,
        400,
        idpMessagePage(found.idp, "Unknown person", "body.sub: choose one of the test people"),
      );
    await found.provider.interactionFinished(
      req,
      res,
      { login: { accountId: sub } },
      { mergeWithLastSubmission: false },
    );
  });

  router.post("/idp/:name/interaction/:uid/abort", async (req, res, next) => {
    const found = find(req.params.name);
    if (!found) return next();
    await found.provider.interactionFinished(
      req,
      res,
      { error: "access_denied", error_description: "the person cancelled the sign-in" },
      { mergeWithLastSubmission: false },
    );
  });

  router.use("/idp/:name", (req, res, next) => {
    const found = find(String(req.params.name));
    if (!found) {
      if (idps.configs.some((i) => i.name === req.params.name))
        return res.status(503).json({ error: "the provider is starting" });
      return next();
    }
    void idps.handler(found.idp.name)!(req, res);
  });
  return router;
}

import { AppError, parseInput } from "@symbiont/service-kit";
import { Router } from "express";
import { z } from "zod";
import { idpModes } from "./identity-provider.js";
import { idpPeople } from "./idp-people.js";
import type { IdentityProviders } from "./idp-routes.js";

const modeBody = z.strictObject({ mode: z.enum(idpModes) });

/**
 * `GET /admin/idps`: each OpenID provider's issuer, clients (ids and redirect URIs, never
 * secrets), mode and test people; `PUT /admin/idps/<name>/mode` switches how it behaves.
 */
export function idpAdminRoutes(idps: IdentityProviders, issuer: (name: string) => string): Router {
  const router = Router();
  const describe = (name: string) => {
    const idp = idps.configs.find((i) => i.name === name);
    if (!idp)
      throw new AppError({ status: 404, code: "NotFound", message: `no OpenID provider ${name}` });
    return {
      name: idp.name,
      kind: idp.kind,
      displayName: idp.displayName,
      issuer: issuer(idp.name),
      mode: idps.mode(idp.name),
      clients: idp.clients.map(({ clientId, redirectUris }) => ({ clientId, redirectUris })),
      people: idpPeople[idp.kind],
    };
  };
  router.get("/admin/idps", (_req, res) => {
    res.json({ idps: idps.configs.map((idp) => describe(idp.name)) });
  });
  router.put("/admin/idps/:name/mode", (req, res) => {
    describe(req.params.name);
    idps.setMode(req.params.name, parseInput(modeBody, req.body, "body").mode);
    res.json(describe(req.params.name));
  });
  return router;
}

import type { Request } from "express";

/** Who made a change: the `x-symbiont-actor` header when it is a plain id, else "api". */
export function actorOf(req: Request): string {
  const header = req.get("x-symbiont-actor");
  return header && /^[A-Za-z0-9_.:-]{1,100}$/.test(header) ? header : "api";
}

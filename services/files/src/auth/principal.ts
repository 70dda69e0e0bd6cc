// Who calls: an internal user (with the teams they belong to), a person acting for an
// external partner (the partner is what rights are given to), or a module of the
// ecosystem acting over the bus (a service, e.g. processes storing a generated contract).

export type Principal =
  | { kind: "internal"; id: string; teams: string[] }
  | { kind: "partner"; id: string; partner: string }
  | { kind: "service"; id: string };

/** What a file version records as its author. */
export interface Author {
  kind: Principal["kind"];
  id: string;
  partner?: string;
}

/**
 * The grant keys a principal matches: `user:<id>` and `team:<team>` for internal users,
 * `partner:<partner>` for a partner's people (never `user:`: a partner cannot pose as an
 * internal user by choosing its subject), `service:<app-id>` for modules.
 */
export function principalKeys(principal: Principal): string[] {
  switch (principal.kind) {
    case "internal":
      return [`user:${principal.id}`, ...principal.teams.map((team) => `team:${team}`)];
    case "partner":
      return [`partner:${principal.partner}`];
    case "service":
      return [`service:${principal.id}`];
  }
}

export function authorOf(principal: Principal): Author {
  return principal.kind === "partner"
    ? { kind: "partner", id: principal.id, partner: principal.partner }
    : { kind: principal.kind, id: principal.id };
}

/** `user:anna`, `partner:acme-legal`: for messages and logs. */
export function describePrincipal(principal: Principal): string {
  return principal.kind === "partner"
    ? `partner:${principal.partner} (${principal.id})`
    : `${principal.kind === "internal" ? "user" : "service"}:${principal.id}`;
}

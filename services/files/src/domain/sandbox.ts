import { z } from "zod";
import type { Author } from "../auth/principal.js";

// A sandbox: the space of one process, team or partner. Rights are given per principal
// (`user:<id>`, `team:<id>`, `partner:<id>`, `service:<app-id>`): read (list, download,
// search), write (upload, restore a version), share (change the sandbox's grants).

export const sandboxKinds = ["process", "team", "partner"] as const;
export const rights = ["read", "write", "share"] as const;
export type Right = (typeof rights)[number];

export const sandboxIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "lowercase letters, digits and -, at most 63");
export const grantKeySchema = z
  .string()
  .regex(
    /^(user|team|partner|service):[A-Za-z0-9_.@-]{1,100}$/,
    "expected user:<id>, team:<id>, partner:<id> or service:<app-id>",
  );
export const linkSchema = z.strictObject({
  kind: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, "lowercase letters, digits and -"),
  id: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, "letters, digits and _ . : -"),
});
export const grantSchema = z.strictObject({
  principal: grantKeySchema,
  rights: z.array(z.enum(rights)).max(3),
});

export type Link = z.infer<typeof linkSchema>;
export type Grant = z.infer<typeof grantSchema>;

export const newSandboxSchema = z.strictObject({
  id: sandboxIdSchema,
  kind: z.enum(sandboxKinds),
  title: z.string().min(1).max(200),
  links: z.array(linkSchema).max(20).default([]),
  grants: z.array(grantSchema).max(100).default([]),
});
export type NewSandbox = z.infer<typeof newSandboxSchema>;

export interface Sandbox {
  id: string;
  kind: (typeof sandboxKinds)[number];
  title: string;
  links: Link[];
  grants: Grant[];
  /** Bumped on every change of grants (the `file.shared` event id names it). */
  grantsVersion: number;
  createdAt: string;
  createdBy: Author;
}

/** Grants with the same principal merged, empty ones dropped, in a stable order. */
export function normaliseGrants(grants: Grant[]): Grant[] {
  const byPrincipal = new Map<string, Set<Right>>();
  for (const grant of grants) {
    const set = byPrincipal.get(grant.principal) ?? new Set<Right>();
    for (const right of grant.rights) set.add(right);
    byPrincipal.set(grant.principal, set);
  }
  return [...byPrincipal]
    .filter(([, set]) => set.size > 0)
    .map(([principal, set]) => ({ principal, rights: rights.filter((r) => set.has(r)) }))
    .sort((a, b) => a.principal.localeCompare(b.principal));
}

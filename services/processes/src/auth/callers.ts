// The callers of the processes API. A caller is configured with the SHA-256 of its token, so
// the service's configuration never holds a usable credential. A manager's name is the id
// tasks are assigned to.

export const roles = ["manager", "admin"] as const;
export type Role = (typeof roles)[number];

export interface Caller {
  name: string;
  role: Role;
  tokenSha256: Buffer;
}

/**
 * Reads `name:role:sha256hex` entries separated by newlines or commas. Returns the reason
 * (naming the entry) when one is malformed or a name repeats.
 */
export function parseCallers(text: string): Caller[] | string {
  const entries = text
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "" && !entry.startsWith("#"));
  const callers: Caller[] = [];
  for (const [i, entry] of entries.entries()) {
    const match = /^([A-Za-z0-9_.-]{1,64}):([a-z]+):([0-9a-fA-F]{64})$/.exec(entry);
    if (!match) return `entry ${i + 1}: expected <name>:<role>:<sha256 hex of the token>`;
    const [, name, role, hash] = match;
    if (!(roles as readonly string[]).includes(role!))
      return `entry ${i + 1} (${name}): role must be one of ${roles.join(", ")}`;
    if (callers.some((c) => c.name === name)) return `entry ${i + 1}: ${name} is named twice`;
    callers.push({ name: name!, role: role as Role, tokenSha256: Buffer.from(hash!, "hex") });
  }
  return callers;
}

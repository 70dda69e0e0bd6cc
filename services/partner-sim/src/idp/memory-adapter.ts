// The simulated providers' storage (sessions, interactions, codes, grants, tokens): in this
// process's memory, on purpose: a simulator keeps nothing across restarts. One store per
// provider, so two providers never see each other's rows.

type Payload = Record<string, unknown>;

interface Row {
  payload: Payload;
  expiresAt?: number;
}

/** The adapter class oidc-provider instantiates once per model name. */
export function memoryAdapter() {
  const rows = new Map<string, Row>();
  const live = (row: Row | undefined): Payload | undefined =>
    row && (!row.expiresAt || row.expiresAt > Date.now()) ? row.payload : undefined;
  const findBy = (name: string, field: string, value: string) =>
    [...rows.entries()].find(
      ([key, row]) => key.startsWith(`${name}:`) && row.payload[field] === value,
    )?.[1];

  return class MemoryAdapter {
    constructor(private readonly name: string) {}

    async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
      rows.set(`${this.name}:${id}`, {
        payload,
        ...(expiresIn ? { expiresAt: Date.now() + expiresIn * 1000 } : {}),
      });
    }

    async find(id: string): Promise<Payload | undefined> {
      return live(rows.get(`${this.name}:${id}`));
    }

    async findByUid(uid: string): Promise<Payload | undefined> {
      return live(findBy(this.name, "uid", uid));
    }

    async findByUserCode(userCode: string): Promise<Payload | undefined> {
      return live(findBy(this.name, "userCode", userCode));
    }

    async consume(id: string): Promise<void> {
      const row = rows.get(`${this.name}:${id}`);
      if (row) row.payload = { ...row.payload, consumed: Math.floor(Date.now() / 1000) };
    }

    async destroy(id: string): Promise<void> {
      rows.delete(`${this.name}:${id}`);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      for (const [key, row] of rows) if (row.payload.grantId === grantId) rows.delete(key);
    }
  };
}

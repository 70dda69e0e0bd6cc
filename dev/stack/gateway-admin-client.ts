// Calls to the bus gateway's admin API with a bearer token (a ServiceAccount's token in a
// cluster, the static admin token outside one; none to see the refusal).

export interface AdminClient {
  get<T>(path: string): Promise<T>;
  /** The answer's JSON whatever its status (callers assert on it). */
  post<T>(path: string, body: unknown): Promise<T>;
}

export function gatewayAdminClient(base: string, token: string | undefined): AdminClient {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  return {
    get: async <T>(path: string) => {
      const answer = await fetch(`${base}${path}`, { headers });
      if (!answer.ok) throw new Error(`GET ${path}: ${answer.status} ${await answer.text()}`);
      return (await answer.json()) as T;
    },
    post: async <T>(path: string, body: unknown) => {
      const answer = await fetch(`${base}${path}`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return (await answer.json()) as T;
    },
  };
}

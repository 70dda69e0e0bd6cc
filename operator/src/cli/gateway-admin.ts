import type { KubeConfig } from "@kubernetes/client-node";

// The bus gateway's admin API (dead letters, replay, the ledger), called with the caller's
// own credentials: the bearer token of the kubeconfig's current user (or --token), so the
// gateway decides what this person may see and do, as the API server would.

export interface DeadLetter {
  key: string;
  messageId: string;
  kind: string;
  target: string;
  topic: string;
  attempts: number;
  lastError?: string;
  acceptedAt: string;
  deadLetteredAt: string;
  replays: number;
}

export interface LedgerEntryView {
  key: string;
  messageId: string;
  kind: string;
  target: string;
  topic: string;
  state: string;
  attempts: number;
  replays?: number;
  lastError?: string;
  acceptedAt: string;
  updatedAt: string;
}

export interface ReplayOutcome {
  replayed: number;
  results: { key: string; result: string; error?: string }[];
}

export interface DeadLetterFilter {
  partner?: string;
  kind?: string;
  keys?: string[];
}

/** A failure a person can act on; the CLI prints its message and exits non-zero. */
export class CliError extends Error {}

/** The Authorization header for the kubeconfig's current user, if it has a token. */
export async function callerAuthorization(
  kc: KubeConfig,
  token?: string,
): Promise<string | undefined> {
  if (token) return `Bearer ${token}`;
  // client-node resolves tokens, token files and exec credential plugins alike.
  const options = await kc.applyToFetchOptions({});
  const headers = options.headers as Headers | undefined;
  return headers?.get("authorization") ?? undefined;
}

export class GatewayAdmin {
  constructor(
    private readonly baseUrl: string,
    private readonly authorization: string | undefined,
  ) {}

  async deadLetters(filter: DeadLetterFilter): Promise<DeadLetter[]> {
    const query = new URLSearchParams();
    if (filter.partner) query.set("partner", filter.partner);
    if (filter.kind) query.set("kind", filter.kind);
    const body = await this.call<{ deadLetters: DeadLetter[] }>("GET", "/v1/deadletters", query);
    return body.deadLetters;
  }

  replay(filter: DeadLetterFilter): Promise<ReplayOutcome> {
    return this.call<ReplayOutcome>("POST", "/v1/deadletters/replay", undefined, filter);
  }

  /** Every ledger entry of one message: one per partner, route or drop it met. */
  async entriesOf(messageId: string): Promise<LedgerEntryView[]> {
    const query = new URLSearchParams({ messageId });
    const body = await this.call<{ entries: LedgerEntryView[] }>(
      "GET",
      "/v1/ledger/entries",
      query,
    );
    return body.entries;
  }

  private async call<T>(
    method: "GET" | "POST",
    path: string,
    query?: URLSearchParams,
    body?: unknown,
  ): Promise<T> {
    const url = new URL(path, this.baseUrl);
    if (query) url.search = query.toString();
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.authorization) headers.authorization = this.authorization;
    if (body !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      throw new CliError(
        `cannot reach the bus gateway at ${this.baseUrl} (${cause ?? (error as Error).message}); is the port-forward running?`,
      );
    }
    const text = await response.text();
    if (response.status === 401 || response.status === 403) {
      throw new CliError(
        `the bus gateway refused ${method} ${path} with your credentials (HTTP ${response.status}): ${text.slice(0, 300)}`,
      );
    }
    if (!response.ok) {
      throw new CliError(
        `the bus gateway answered ${method} ${path} with HTTP ${response.status}: ${text.slice(0, 300)}`,
      );
    }
    return JSON.parse(text) as T;
  }
}

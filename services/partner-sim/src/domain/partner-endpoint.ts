import {
  verifyWebhook,
  webhookIdHeader,
  webhookSignatureHeader,
  webhookTimestampHeader,
  WebhookReplayGuard,
} from "@symbiont/contracts";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { SimPartner } from "../config.js";
import type { FailureMode } from "./failure-mode.js";
import { partnerReply } from "./partner-reply.js";
import { ReceivedLog, type ReceivedMessage } from "./received-log.js";

// One simulated partner on its own port. Any POST is a delivery. "down" closes the
// listening socket (and open connections), so callers get connection refused. With a secret
// it checks deliveries as a partner should (docs/gateway-config.md, "Webhook signatures"): a
// bad or stale signature is refused 401 and a replayed one 409, counted as badSignatures and
// never recorded as received.

export class PartnerEndpoint {
  readonly log = new ReceivedLog();
  readonly #replays = new WebhookReplayGuard();
  readonly #listeners: Array<(delivery: ReceivedMessage) => void> = [];
  #mode: FailureMode = { mode: "ok" };
  /** Deliveries taken in flaky mode: every 1/rate-th fails (the same run fails the same way). */
  #flaky = 0;
  #server: Server | undefined;
  #port: number;

  constructor(
    readonly partner: SimPartner,
    private readonly host: string,
  ) {
    this.#port = partner.port;
  }

  get port(): number {
    return this.#port;
  }

  get url(): string {
    return `http://${this.host}:${this.#port}`;
  }

  get mode(): FailureMode {
    return this.#mode;
  }

  async start(): Promise<void> {
    if (this.#server) return;
    const server = createServer((req, res) => void this.#handle(req, res));
    server.keepAliveTimeout = 1_000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      // The port stays the same across down/up, so the binding's URL stays valid.
      server.listen(this.#port, this.host, () => resolve());
    });
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** Called with every delivery it accepted, after answering it (a personality reacts here). */
  onDelivery(listener: (delivery: ReceivedMessage) => void): void {
    this.#listeners.push(listener);
  }

  async setMode(mode: FailureMode): Promise<void> {
    this.#mode = mode;
    if (mode.mode === "down") await this.stop();
    else await this.start();
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const mode = this.#mode;
    if (req.method !== "POST") return answer(res, 405, { error: "only POST" });
    if (mode.mode === "error") {
      this.log.refuse();
      return answer(res, mode.status, { error: "simulated outage" });
    }
    if (mode.mode === "reject") {
      this.log.refuse();
      return answer(res, mode.status, { error: "simulated rejection" });
    }
    if (mode.mode === "slow") await new Promise((resolve) => setTimeout(resolve, mode.delayMs));
    let body: unknown;
    try {
      body = JSON.parse(raw.toString("utf8"));
    } catch {
      this.log.refuse();
      return answer(res, 400, { error: "body is not JSON" });
    }
    const header = (name: string) => {
      const value = req.headers[name];
      return typeof value === "string" ? value : null;
    };
    const key = header("idempotency-key");
    const topic = header("x-symbiont-topic");
    const attempt = header("x-symbiont-attempt");
    const { secret, previousSecret } = this.partner;
    if (secret) {
      const verdict = verifyWebhook(
        {
          headers: req.headers as Record<string, string | undefined>,
          topic: topic ?? "",
          body: raw,
        },
        {
          keys: previousSecret ? [secret, previousSecret] : [secret],
          guard: this.#replays,
        },
      );
      if (!verdict.ok) {
        this.log.refuse({ badSignature: true });
        return answer(res, verdict.reason === "ReplayedWebhook" ? 409 : 401, {
          error: verdict.reason,
          message: verdict.message,
        });
      }
    }
    const delivery = this.log.record({
      idempotencyKey: key,
      topic,
      attempt: attempt === null ? null : Number(attempt),
      signatureValid: secret ? true : null,
      webhook: webhookHeaders(header),
      body,
    });
    for (const listener of this.#listeners) listener(delivery);
    if (mode.mode === "flaky") {
      this.#flaky += 1;
      const crosses = (rate: number) =>
        Math.floor(this.#flaky * rate) > Math.floor((this.#flaky - 1) * rate);
      if (crosses(mode.timeoutRate)) {
        await new Promise((resolve) => setTimeout(resolve, mode.timeoutMs));
        res.destroy();
        return;
      }
      if (crosses(mode.errorRate))
        return answer(res, 500, { error: "simulated failure after applying" });
    }
    answer(res, 200, partnerReply(this.partner.kind, key ?? ""));
  }
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function webhookHeaders(
  header: (name: string) => string | null,
): { id: string; timestamp: string; signature: string } | null {
  const id = header(webhookIdHeader);
  const timestamp = header(webhookTimestampHeader);
  const signature = header(webhookSignatureHeader);
  return id && timestamp && signature ? { id, timestamp, signature } : null;
}

import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { SimPartner } from "../config.js";
import type { FailureMode } from "./failure-mode.js";
import { partnerReply } from "./partner-reply.js";
import { ReceivedLog, type ReceivedMessage } from "./received-log.js";

// One simulated partner on its own port. Any POST is a delivery. "down" closes the
// listening socket (and open connections), so callers get connection refused.

export class PartnerEndpoint {
  readonly log = new ReceivedLog();
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
    const signature = header("x-symbiont-signature");
    const attempt = header("x-symbiont-attempt");
    const delivery = this.log.record({
      idempotencyKey: key,
      topic: header("x-symbiont-topic"),
      attempt: attempt === null ? null : Number(attempt),
      signatureValid: this.partner.secret
        ? validSignature(raw, signature, this.partner.secret)
        : null,
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

export function signBody(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

function validSignature(body: Buffer, signature: string | null, secret: string): boolean {
  if (!signature) return false;
  const expected = Buffer.from(signBody(body, secret));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

// What a simulated partner took in. A request it answered 2xx is "received"; one whose
// Idempotency-Key it had already received counts as a duplicate (a real partner would
// ignore it). Refused requests (error, reject modes, bad signatures) are only counted.

export interface ReceivedMessage {
  seq: number;
  at: string;
  idempotencyKey: string | null;
  topic: string | null;
  attempt: number | null;
  signatureValid: boolean | null;
  /** The webhook signature headers it came with (a test may send the captured request again). */
  webhook: { id: string; timestamp: string; signature: string } | null;
  duplicate: boolean;
  body: unknown;
}

export interface ReceivedStats {
  received: number;
  unique: number;
  duplicates: number;
  refused: number;
  badSignatures: number;
}

export class ReceivedLog {
  #messages: ReceivedMessage[] = [];
  #keys = new Set<string>();
  #refused = 0;
  #badSignatures = 0;

  record(message: Omit<ReceivedMessage, "seq" | "at" | "duplicate">): ReceivedMessage {
    const key = message.idempotencyKey;
    const duplicate = key !== null && this.#keys.has(key);
    if (key !== null) this.#keys.add(key);
    const stored = {
      ...message,
      seq: this.#messages.length + 1,
      at: new Date().toISOString(),
      duplicate,
    };
    this.#messages.push(stored);
    return stored;
  }

  refuse(options: { badSignature?: boolean } = {}): void {
    this.#refused += 1;
    if (options.badSignature) this.#badSignatures += 1;
  }

  messages(options: { uniqueOnly?: boolean } = {}): ReceivedMessage[] {
    return options.uniqueOnly
      ? this.#messages.filter((message) => !message.duplicate)
      : [...this.#messages];
  }

  stats(): ReceivedStats {
    const duplicates = this.#messages.filter((message) => message.duplicate).length;
    return {
      received: this.#messages.length,
      unique: this.#messages.length - duplicates,
      duplicates,
      refused: this.#refused,
      badSignatures: this.#badSignatures,
    };
  }

  reset(): void {
    this.#messages = [];
    this.#keys.clear();
    this.#refused = 0;
    this.#badSignatures = 0;
  }
}

import { createHash } from "node:crypto";
import {
  paymentRefundedTopic,
  paymentRequestedSchema,
  paymentRequestedTopic,
  paymentSucceededTopic,
  type PaymentRefunded,
  type PaymentSucceeded,
} from "@symbiont/marketplace/events";
import { AppError } from "@symbiont/service-kit";
import type { Logger } from "pino";
import type { PartnerEndpoint } from "../domain/partner-endpoint.js";
import type { ReceivedMessage } from "../domain/received-log.js";
import { sendWebhook, type WebhookOutcome } from "../domain/send-webhook.js";

// The acquiring partner (MISSION T3): it takes payment intents (`payment.requested`,
// delivered by the bus gateway), charges them once per payment id, and reports back with
// signed webhooks, `payment.succeeded` and, when asked, `payment.refunded`. Captures are
// automatic unless switched to manual; refunds and replays of a callback are admin calls.

export interface SimPayment {
  paymentId: string;
  orderId: string;
  amount: number;
  currency: string;
  acquirerRef: string;
  status: "authorized" | "captured" | "refunded";
  refunded: number;
  paidAt?: string;
  callbacks: Array<{ topic: string; idempotencyKey: string } & WebhookOutcome>;
}

export interface AcquirerSettings {
  callbackUrl?: string;
  capture: "auto" | "manual";
}

export class Acquirer {
  readonly payments = new Map<string, SimPayment>();
  settings: AcquirerSettings;
  #refunds = 0;
  #replays = 0;

  constructor(
    private readonly endpoint: PartnerEndpoint,
    private readonly logger: Logger,
  ) {
    this.settings = {
      capture: "auto",
      ...(endpoint.partner.callbackUrl ? { callbackUrl: endpoint.partner.callbackUrl } : {}),
    };
    endpoint.onDelivery((delivery) => this.#take(delivery));
  }

  #take(delivery: ReceivedMessage): void {
    if (delivery.topic !== null && delivery.topic !== paymentRequestedTopic) return;
    const intent = paymentRequestedSchema.safeParse(delivery.body);
    if (!intent.success) {
      this.logger.warn({ seq: delivery.seq }, "acquirer: not a payment intent, ignored");
      return;
    }
    // Charged once per payment id, however often the intent is delivered.
    if (this.payments.has(intent.data.paymentId)) return;
    const { paymentId, orderId, amount, currency } = intent.data;
    const acquirerRef = `acq-${createHash("sha256").update(paymentId).digest("hex").slice(0, 16)}`;
    this.payments.set(paymentId, {
      paymentId,
      orderId,
      amount,
      currency,
      acquirerRef,
      status: "authorized",
      refunded: 0,
      callbacks: [],
    });
    if (this.settings.capture === "auto")
      this.capture(paymentId).catch((error: unknown) =>
        this.logger.error({ err: error, paymentId }, "acquirer: capture failed"),
      );
  }

  #find(paymentId: string): SimPayment {
    const payment = this.payments.get(paymentId);
    if (!payment)
      throw new AppError({ status: 404, code: "NotFound", message: `no payment ${paymentId}` });
    return payment;
  }

  async #callback(payment: SimPayment, topic: string, idempotencyKey: string, payload: unknown) {
    const url = this.settings.callbackUrl;
    const outcome: WebhookOutcome = url
      ? await sendWebhook({
          url,
          topic,
          idempotencyKey,
          payload,
          ...(this.endpoint.partner.secret ? { secret: this.endpoint.partner.secret } : {}),
        })
      : { status: null, attempts: 0, answer: "no callback URL set", delivered: false };
    payment.callbacks.push({ topic, idempotencyKey, ...outcome });
    return outcome;
  }

  /** Takes the money and says so (`payment.succeeded`). */
  async capture(paymentId: string): Promise<WebhookOutcome> {
    const payment = this.#find(paymentId);
    if (payment.status !== "authorized")
      throw new AppError({
        status: 409,
        code: "Conflict",
        message: `payment ${paymentId} is ${payment.status}`,
      });
    payment.status = "captured";
    payment.paidAt = new Date().toISOString();
    return this.#callback(
      payment,
      paymentSucceededTopic,
      `${paymentSucceededTopic}:${paymentId}`,
      this.#succeeded(payment),
    );
  }

  /** Gives back `amount` (default: what is left) and says so (`payment.refunded`). */
  async refund(
    paymentId: string,
    amount?: number,
    reason?: string,
  ): Promise<{ refundId: string } & WebhookOutcome> {
    const payment = this.#find(paymentId);
    const left = Math.round((payment.amount - payment.refunded) * 100) / 100;
    const value = amount ?? left;
    if (payment.status === "authorized" || value <= 0 || value > left)
      throw new AppError({
        status: 409,
        code: "Conflict",
        message: `payment ${paymentId} is ${payment.status} with ${left} ${payment.currency} left to refund`,
      });
    this.#refunds += 1;
    const refundId = `rf-${this.#refunds}-${payment.acquirerRef}`;
    payment.refunded = Math.round((payment.refunded + value) * 100) / 100;
    if (payment.refunded >= payment.amount) payment.status = "refunded";
    const data: PaymentRefunded = {
      refundId,
      paymentId,
      orderId: payment.orderId,
      amount: value,
      currency: payment.currency,
      refundedAt: new Date().toISOString(),
      ...(reason ? { reason } : {}),
    };
    return {
      refundId,
      ...(await this.#callback(
        payment,
        paymentRefundedTopic,
        `${paymentRefundedTopic}:${refundId}`,
        data,
      )),
    };
  }

  /**
   * Sends the `payment.succeeded` callback again: with the same Idempotency-Key (the gateway
   * recognises it), or `fresh` with a new one (as an acquirer that lost track would), so the
   * copy reaches the marketplace and must be recognised there.
   */
  async replay(paymentId: string, fresh: boolean): Promise<WebhookOutcome> {
    const payment = this.#find(paymentId);
    if (payment.status === "authorized")
      throw new AppError({
        status: 409,
        code: "Conflict",
        message: `payment ${paymentId} was not captured`,
      });
    this.#replays += 1;
    const key = `${paymentSucceededTopic}:${paymentId}${fresh ? `:replay-${this.#replays}` : ""}`;
    return this.#callback(payment, paymentSucceededTopic, key, this.#succeeded(payment));
  }

  #succeeded(payment: SimPayment): PaymentSucceeded {
    return {
      paymentId: payment.paymentId,
      orderId: payment.orderId,
      amount: payment.amount,
      currency: payment.currency,
      acquirerRef: payment.acquirerRef,
      paidAt: payment.paidAt!,
    };
  }
}

import type { Outbox } from "@symbiont/service-kit";
import type { Logger } from "pino";
import type { KeyStore } from "../data/key-store.js";
import type { MovementStore } from "../data/movement-store.js";
import type { OfferStore } from "../data/offer-store.js";
import type { OrderStore } from "../data/order-store.js";
import type { PartnerStore } from "../data/partner-store.js";
import type { RulebookStore } from "../data/rulebook-store.js";

/** What the marketplace's domain needs: its stores, the outbox, a clock and an id source. */
export interface MarketplaceDeps {
  partners: PartnerStore;
  keys: KeyStore;
  offers: OfferStore;
  orders: OrderStore;
  movements: MovementStore;
  rules: RulebookStore;
  outbox: Outbox;
  logger: Logger;
  now: () => Date;
  newId: () => string;
  /** How long keys replaced by a rotation keep working, unless the rotation says. */
  keyOverlapSeconds: number;
}

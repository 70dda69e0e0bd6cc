import type { Outbox } from "@symbiont/service-kit";
import type { Logger } from "pino";
import type { CatalogCache } from "../data/catalog-cache.js";
import type { IdentityStore } from "../data/identity-store.js";
import type { MergeStore } from "../data/merge-store.js";

/** What the CRM domain needs: its stores, the outbox, a clock and an id source. */
export interface CrmDeps {
  identity: IdentityStore;
  merges: MergeStore;
  catalog: CatalogCache;
  outbox: Outbox;
  logger: Logger;
  now: () => string;
  newId: () => string;
  defaultCountryCode: string;
}

import { randomUUID } from "node:crypto";
import type { Outbox } from "@symbiont/service-kit";
import type { CatalogStore } from "../data/catalog-store.js";
import { conflict, notFound } from "../errors.js";
import { itemChanged, type ItemChangedEvent } from "../events/mdm-topics.js";
import type { Item, ItemFields, ItemUpdate, ItemVersion } from "./item.js";
import { isDuplicateKey } from "@symbiont/service-kit";

export interface CatalogDeps {
  catalog: CatalogStore;
  outbox: Outbox;
  now?: () => Date;
}

async function recordAndAnnounce(
  deps: CatalogDeps,
  item: Item,
  actor: string,
  change: ItemChangedEvent["change"],
) {
  await deps.catalog.insertVersion({
    itemId: item.id,
    version: item.version,
    changedAt: item.updatedAt,
    changedBy: actor,
    item,
  });
  await deps.outbox.send([itemChanged(change, item)]);
}

/** A new item starts at version 1; its first version and its event are recorded. */
export async function createItem(
  deps: CatalogDeps,
  fields: ItemFields,
  actor: string,
): Promise<Item> {
  const at = (deps.now?.() ?? new Date()).toISOString();
  const item: Item = { ...fields, id: randomUUID(), version: 1, createdAt: at, updatedAt: at };
  try {
    await deps.catalog.insert(item);
  } catch (error) {
    if (isDuplicateKey(error)) throw conflict(`an item with sku ${fields.sku} already exists`);
    throw error;
  }
  await recordAndAnnounce(deps, item, actor, "created");
  return item;
}

/**
 * Every change makes a new version. The client sends the version it read: when somebody
 * else changed the item since, the change is refused with 409 and nothing is written.
 */
export async function updateItem(
  deps: CatalogDeps,
  id: string,
  update: ItemUpdate,
  actor: string,
): Promise<Item> {
  const current = await deps.catalog.find(id);
  if (!current) throw notFound(`item ${id}`);
  const { version: readVersion, ...fields } = update;
  const stale = () =>
    conflict(
      `item ${id} is at version ${current.version}, the change was made to version ${readVersion}`,
      {
        currentVersion: current.version,
      },
    );
  if (readVersion !== current.version) throw stale();
  const item: Item = {
    ...fields,
    id,
    version: current.version + 1,
    createdAt: current.createdAt,
    updatedAt: (deps.now?.() ?? new Date()).toISOString(),
  };
  let replaced: boolean;
  try {
    replaced = await deps.catalog.replaceIfVersion(item, readVersion);
  } catch (error) {
    if (isDuplicateKey(error)) throw conflict(`an item with sku ${fields.sku} already exists`);
    throw error;
  }
  if (!replaced) throw stale();
  await recordAndAnnounce(deps, item, actor, "updated");
  return item;
}

export async function getItem(deps: CatalogDeps, id: string): Promise<Item> {
  const item = await deps.catalog.find(id);
  if (!item) throw notFound(`item ${id}`);
  return item;
}

export async function listItemVersions(deps: CatalogDeps, id: string): Promise<ItemVersion[]> {
  const versions = await deps.catalog.listVersions(id);
  if (versions.length === 0) throw notFound(`item ${id}`);
  return versions;
}

import type { OutgoingEvent } from "@symbiont/service-kit";
import type { Dictionary } from "../domain/dictionary.js";
import type { Item } from "../domain/item.js";

// The topics MDM publishes on the internal bus (docs/module-contract.md, "Core topics").
export const itemChangedTopic = "mdm.item.changed";
export const dictionaryChangedTopic = "mdm.dictionary.changed";

/** `mdm.item.changed`: the item as it is at `version`; the id is stable per version. */
export interface ItemChangedEvent {
  change: "created" | "updated";
  item: Item;
}

export interface DictionaryChangedEvent {
  change: "created" | "updated";
  dictionary: Dictionary;
}

export function itemChangedEventId(item: Item): string {
  return `${itemChangedTopic}:${item.id}:${item.version}`;
}

export function dictionaryChangedEventId(dictionary: Dictionary): string {
  return `${dictionaryChangedTopic}:${dictionary.code}:${dictionary.version}`;
}

/** The `mdm.item.changed` event of one version of an item. */
export function itemChanged(
  change: ItemChangedEvent["change"],
  item: Item,
): OutgoingEvent<ItemChangedEvent> {
  return { id: itemChangedEventId(item), topic: itemChangedTopic, data: { change, item } };
}

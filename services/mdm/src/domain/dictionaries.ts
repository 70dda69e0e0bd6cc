import type { Outbox } from "@symbiont/service-kit";
import { isDuplicateKey } from "@symbiont/service-kit";
import type { DictionaryStore } from "../data/dictionary-store.js";
import { conflict, notFound } from "../errors.js";
import {
  dictionaryChangedEventId,
  dictionaryChangedTopic,
  type DictionaryChangedEvent,
} from "../events/mdm-topics.js";
import type { Dictionary, DictionaryFields, DictionaryVersion } from "./dictionary.js";

export interface DictionaryDeps {
  dictionaries: DictionaryStore;
  outbox: Outbox;
  now?: () => Date;
}

async function recordAndAnnounce(
  deps: DictionaryDeps,
  dictionary: Dictionary,
  actor: string,
  change: DictionaryChangedEvent["change"],
) {
  await deps.dictionaries.insertVersion({
    code: dictionary.code,
    version: dictionary.version,
    changedAt: dictionary.updatedAt,
    changedBy: actor,
    dictionary,
  });
  const data: DictionaryChangedEvent = { change, dictionary };
  await deps.outbox.send([
    { id: dictionaryChangedEventId(dictionary), topic: dictionaryChangedTopic, data },
  ]);
}

export async function createDictionary(
  deps: DictionaryDeps,
  code: string,
  fields: DictionaryFields,
  actor: string,
): Promise<Dictionary> {
  const dictionary: Dictionary = {
    ...fields,
    code,
    version: 1,
    updatedAt: (deps.now?.() ?? new Date()).toISOString(),
  };
  try {
    await deps.dictionaries.insert(dictionary);
  } catch (error) {
    if (isDuplicateKey(error)) throw conflict(`dictionary ${code} already exists`);
    throw error;
  }
  await recordAndAnnounce(deps, dictionary, actor, "created");
  return dictionary;
}

/** Like items: a new version per change, and a stale version is refused with 409. */
export async function updateDictionary(
  deps: DictionaryDeps,
  code: string,
  update: DictionaryFields & { version: number },
  actor: string,
): Promise<Dictionary> {
  const current = await deps.dictionaries.find(code);
  if (!current) throw notFound(`dictionary ${code}`);
  const { version: readVersion, ...fields } = update;
  const stale = () =>
    conflict(
      `dictionary ${code} is at version ${current.version}, the change was made to version ${readVersion}`,
      {
        currentVersion: current.version,
      },
    );
  if (readVersion !== current.version) throw stale();
  const dictionary: Dictionary = {
    ...fields,
    code,
    version: current.version + 1,
    updatedAt: (deps.now?.() ?? new Date()).toISOString(),
  };
  if (!(await deps.dictionaries.replaceIfVersion(dictionary, readVersion))) throw stale();
  await recordAndAnnounce(deps, dictionary, actor, "updated");
  return dictionary;
}

export async function getDictionary(deps: DictionaryDeps, code: string): Promise<Dictionary> {
  const dictionary = await deps.dictionaries.find(code);
  if (!dictionary) throw notFound(`dictionary ${code}`);
  return dictionary;
}

export async function listDictionaryVersions(
  deps: DictionaryDeps,
  code: string,
): Promise<DictionaryVersion[]> {
  const versions = await deps.dictionaries.listVersions(code);
  if (versions.length === 0) throw notFound(`dictionary ${code}`);
  return versions;
}

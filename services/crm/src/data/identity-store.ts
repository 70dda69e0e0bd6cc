import { isDuplicateKey } from "@symbiont/service-kit";
import { Schema, type Connection } from "mongoose";
import type { Profile } from "../domain/profile.js";
import type { Touchpoint } from "../domain/touchpoint.js";
import { inParallel } from "./in-parallel.js";

// Profiles, the deterministic key index (one owner per key: its unique _id is what makes
// two writers agree), cookie hints and touchpoints.
//
// Reads are served from an in-process index loaded at start and kept up to date by this
// process's writes: FerretDB v1 answers `_id` lookups and inserts quickly but scans whole
// collections for `$in` and secondary-field filters. Writes are inserts in bulk and
// single-document updates by `_id`. The index is correct while one CRM process writes
// identities (the Deployment runs one resolver); a second writer's key claims still meet
// the unique `_id` and are merged (see resolveBatch), but its profile changes would not
// be seen here until a restart.

type ProfileDoc = Omit<Profile, "id"> & { _id: string };
type TouchpointDoc = Omit<Touchpoint, "id"> & {
  _id: string;
  profileId: string;
  recordedAt: string;
};
interface KeyDoc {
  _id: string;
  profileId: string;
}
interface HintDoc {
  _id: string;
  profileIds: string[];
}

const writers = 8;
const loose = { versionKey: false as const, strict: false, minimize: false };
const profileSchema = new Schema<ProfileDoc>(
  { _id: String, status: String, mergedInto: String },
  loose,
);
const keySchema = new Schema<KeyDoc>({ _id: String, profileId: String }, { versionKey: false });
const hintSchema = new Schema<HintDoc>(
  { _id: String, profileIds: { type: [String] } },
  { versionKey: false },
);
const touchpointSchema = new Schema<TouchpointDoc>(
  { _id: String, profileId: { type: String, index: true } },
  loose,
);

function toProfile({ _id, ...rest }: ProfileDoc): Profile {
  return { id: _id, ...rest };
}

function addTo(index: Map<string, Set<string>>, owner: string, value: string): void {
  const set = index.get(owner);
  if (set) set.add(value);
  else index.set(owner, new Set([value]));
}

export type IdentityStore = Awaited<ReturnType<typeof openIdentityStore>>;

export async function openIdentityStore(connection: Connection) {
  const profiles = connection.model<ProfileDoc>("Profile", profileSchema, "profiles");
  const keys = connection.model<KeyDoc>("IdentityKey", keySchema, "identity_keys");
  const hints = connection.model<HintDoc>("HintKey", hintSchema, "hint_keys");
  const touchpoints = connection.model<TouchpointDoc>(
    "Touchpoint",
    touchpointSchema,
    "touchpoints",
  );
  await Promise.all([profiles.init(), keys.init(), hints.init(), touchpoints.init()]);

  const profileById = new Map<string, Profile>();
  const keyOwner = new Map<string, string>();
  const keysByOwner = new Map<string, Set<string>>();
  const hintHolders = new Map<string, string[]>();
  const touchpointOwner = new Map<string, string>();
  const touchpointsByOwner = new Map<string, Set<string>>();
  const setKey = (key: string, profileId: string) => {
    const previous = keyOwner.get(key);
    if (previous !== undefined) keysByOwner.get(previous)?.delete(key);
    keyOwner.set(key, profileId);
    addTo(keysByOwner, profileId, key);
  };
  const setTouchpoint = (id: string, profileId: string) => {
    const previous = touchpointOwner.get(id);
    if (previous !== undefined) touchpointsByOwner.get(previous)?.delete(id);
    touchpointOwner.set(id, profileId);
    addTo(touchpointsByOwner, profileId, id);
  };
  for (const doc of await profiles.find().lean<ProfileDoc[]>())
    profileById.set(doc._id, toProfile(doc));
  for (const doc of await keys.find().lean<KeyDoc[]>()) setKey(doc._id, doc.profileId);
  for (const doc of await hints.find().lean<HintDoc[]>()) hintHolders.set(doc._id, doc.profileIds);
  for (const doc of await touchpoints.find({}, { profileId: 1 }).lean<TouchpointDoc[]>())
    setTouchpoint(doc._id, doc.profileId);

  return {
    async profiles(ids: string[]): Promise<Profile[]> {
      return ids.map((id) => profileById.get(id)).filter((p): p is Profile => p !== undefined);
    },
    async saveProfiles(list: Profile[]): Promise<void> {
      const fresh = list.filter((p) => !profileById.has(p.id));
      const known = list.filter((p) => profileById.has(p.id));
      if (fresh.length > 0)
        await profiles.insertMany(fresh.map(({ id, ...rest }) => ({ _id: id, ...rest })));
      await inParallel(known, writers, ({ id, ...rest }) => profiles.replaceOne({ _id: id }, rest));
      for (const profile of list) profileById.set(profile.id, profile);
    },
    async countProfiles(status: Profile["status"] = "active"): Promise<number> {
      let count = 0;
      for (const profile of profileById.values()) if (profile.status === status) count++;
      return count;
    },

    async keyOwners(list: string[]): Promise<Map<string, string>> {
      const owners = new Map<string, string>();
      for (const key of list) {
        const owner = keyOwner.get(key);
        if (owner !== undefined) owners.set(key, owner);
      }
      return owners;
    },
    /** Claims keys for profiles; returns the keys another writer owned first. */
    async claimKeys(claims: Array<{ key: string; profileId: string }>): Promise<string[]> {
      if (claims.length === 0) return [];
      let failed: number[] = [];
      try {
        await keys.insertMany(
          claims.map(({ key, profileId }) => ({ _id: key, profileId })),
          { ordered: false },
        );
      } catch (error) {
        const writeErrors = (error as { writeErrors?: Array<{ index: number }> }).writeErrors;
        if (!isDuplicateKey(error) && !writeErrors) throw error;
        failed = (writeErrors ?? []).map((e) => e.index);
      }
      const raced: string[] = [];
      for (const [index, claim] of claims.entries()) {
        if (!failed.includes(index)) {
          setKey(claim.key, claim.profileId);
          continue;
        }
        raced.push(claim.key);
        const doc = await keys.findById(claim.key).lean<KeyDoc>();
        if (doc) setKey(doc._id, doc.profileId);
      }
      return raced;
    },
    async keysOf(profileIds: string[]): Promise<Array<{ key: string; profileId: string }>> {
      return profileIds.flatMap((profileId) =>
        [...(keysByOwner.get(profileId) ?? [])].map((key) => ({ key, profileId })),
      );
    },
    async setKeyOwners(list: Array<{ key: string; profileId: string }>): Promise<void> {
      await inParallel(list, writers, ({ key, profileId }) =>
        keys.updateOne({ _id: key }, { $set: { profileId } }),
      );
      for (const { key, profileId } of list) setKey(key, profileId);
    },
    async repointKeys(from: string[], to: string): Promise<void> {
      const moved = await this.keysOf(from);
      await this.setKeyOwners(moved.map(({ key }) => ({ key, profileId: to })));
    },

    async hintHolders(list: string[]): Promise<Map<string, string[]>> {
      const holders = new Map<string, string[]>();
      for (const hint of list) {
        const ids = hintHolders.get(hint);
        if (ids) holders.set(hint, [...ids]);
      }
      return holders;
    },
    async addHints(list: Array<{ hint: string; profileId: string }>): Promise<void> {
      const changed = new Map<string, string[]>();
      for (const { hint, profileId } of list) {
        const ids = changed.get(hint) ?? [...(hintHolders.get(hint) ?? [])];
        if (!ids.includes(profileId)) ids.push(profileId);
        changed.set(hint, ids);
      }
      const fresh = [...changed].filter(([hint]) => !hintHolders.has(hint));
      const known = [...changed].filter(
        ([hint, ids]) => hintHolders.has(hint) && ids.length !== hintHolders.get(hint)!.length,
      );
      if (fresh.length > 0)
        await hints.insertMany(fresh.map(([hint, profileIds]) => ({ _id: hint, profileIds })));
      await inParallel(known, writers, ([hint, profileIds]) =>
        hints.updateOne({ _id: hint }, { $set: { profileIds } }),
      );
      for (const [hint, ids] of changed) hintHolders.set(hint, ids);
    },

    /** Touchpoints already stored, with the profile each belongs to. */
    async storedTouchpoints(ids: string[]): Promise<Map<string, string>> {
      const stored = new Map<string, string>();
      for (const id of ids) {
        const owner = touchpointOwner.get(id);
        if (owner !== undefined) stored.set(id, owner);
      }
      return stored;
    },
    async insertTouchpoints(
      list: Array<{ touchpoint: Touchpoint; profileId: string }>,
      at: string,
    ) {
      if (list.length === 0) return;
      await touchpoints.insertMany(
        list.map(({ touchpoint: { id, ...rest }, profileId }) => ({
          _id: id,
          ...rest,
          profileId,
          recordedAt: at,
        })),
        { ordered: false },
      );
      for (const { touchpoint, profileId } of list) setTouchpoint(touchpoint.id, profileId);
    },
    async touchpointOwners(
      profileIds: string[],
    ): Promise<Array<{ touchpointId: string; profileId: string }>> {
      return profileIds.flatMap((profileId) =>
        [...(touchpointsByOwner.get(profileId) ?? [])].map((touchpointId) => ({
          touchpointId,
          profileId,
        })),
      );
    },
    async setTouchpointOwners(
      list: Array<{ touchpointId: string; profileId: string }>,
    ): Promise<void> {
      await inParallel(list, writers, ({ touchpointId, profileId }) =>
        touchpoints.updateOne({ _id: touchpointId }, { $set: { profileId } }),
      );
      for (const { touchpointId, profileId } of list) setTouchpoint(touchpointId, profileId);
    },
    async repointTouchpoints(from: string[], to: string): Promise<void> {
      const moved = await this.touchpointOwners(from);
      await this.setTouchpointOwners(
        moved.map(({ touchpointId }) => ({ touchpointId, profileId: to })),
      );
    },
    async touchpointsOf(
      profileId: string,
      limit: number,
    ): Promise<Array<Touchpoint & { profileId: string }>> {
      const ids = [...(touchpointsByOwner.get(profileId) ?? [])].slice(0, limit);
      const docs: TouchpointDoc[] = [];
      await inParallel(ids, writers, async (id) => {
        const doc = await touchpoints.findById(id).lean<TouchpointDoc>();
        if (doc) docs.push(doc);
      });
      docs.sort((a, b) => b.occurredAt.localeCompare(a.occurredAt));
      return docs.map(({ _id, ...rest }) => ({ id: _id, ...rest }));
    },
  };
}

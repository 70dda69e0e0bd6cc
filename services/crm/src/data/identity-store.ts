import { isDuplicateKey } from "@symbiont/service-kit";
import { Schema, type Connection } from "mongoose";
import type { Profile } from "../domain/profile.js";
import type { Touchpoint } from "../domain/touchpoint.js";

// Profiles, the deterministic key index (one owner per key: its unique _id is what makes
// two writers agree), cookie hints and touchpoints. Written in bulk: FerretDB v1 pays one
// backend transaction per command, so a batch of touchpoints costs a few commands.

type ProfileDoc = Omit<Profile, "id"> & { _id: string };
type TouchpointDoc = Omit<Touchpoint, "id"> & {
  _id: string;
  profileId: string;
  recordedAt: string;
};

const loose = { versionKey: false as const, strict: false, minimize: false };
const profileSchema = new Schema<ProfileDoc>(
  { _id: String, status: String, mergedInto: String },
  loose,
);
profileSchema.index({ mergedInto: 1 });
const keySchema = new Schema(
  { _id: String, profileId: { type: String, index: true } },
  { versionKey: false },
);
const hintSchema = new Schema(
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

export type IdentityStore = ReturnType<typeof createIdentityStore>;

export function createIdentityStore(connection: Connection) {
  const profiles = connection.model<ProfileDoc>("Profile", profileSchema, "profiles");
  const keys = connection.model<{ _id: string; profileId: string }>(
    "IdentityKey",
    keySchema,
    "identity_keys",
  );
  const hints = connection.model<{ _id: string; profileIds: string[] }>(
    "HintKey",
    hintSchema,
    "hint_keys",
  );
  const touchpoints = connection.model<TouchpointDoc>(
    "Touchpoint",
    touchpointSchema,
    "touchpoints",
  );
  return {
    ready: () => Promise.all([profiles.init(), keys.init(), hints.init(), touchpoints.init()]),

    async profiles(ids: string[]): Promise<Profile[]> {
      if (ids.length === 0) return [];
      const docs = await profiles.find({ _id: { $in: ids } }).lean<ProfileDoc[]>();
      return docs.map(toProfile);
    },
    async saveProfiles(list: Profile[]): Promise<void> {
      if (list.length === 0) return;
      await profiles.bulkWrite(
        list.map(({ id, ...rest }) => ({
          replaceOne: { filter: { _id: id }, replacement: rest, upsert: true },
        })),
        { ordered: false },
      );
    },
    /** How many profiles there are (active ones by default, for reports and tests). */
    async countProfiles(filter: { status?: Profile["status"] } = {}): Promise<number> {
      return profiles.countDocuments(filter);
    },

    async keyOwners(list: string[]): Promise<Map<string, string>> {
      if (list.length === 0) return new Map();
      const docs = await keys.find({ _id: { $in: list } }).lean();
      return new Map(docs.map((doc) => [doc._id, doc.profileId]));
    },
    /** Claims keys for a profile; returns the keys another writer owned first. */
    async claimKeys(claims: Array<{ key: string; profileId: string }>): Promise<string[]> {
      if (claims.length === 0) return [];
      try {
        await keys.insertMany(
          claims.map(({ key, profileId }) => ({ _id: key, profileId })),
          { ordered: false },
        );
        return [];
      } catch (error) {
        if (!isDuplicateKey(error) && !hasWriteErrors(error)) throw error;
        const failed = (error as { writeErrors?: Array<{ index: number }> }).writeErrors ?? [];
        return failed.map((e) => claims[e.index]?.key).filter((k): k is string => k !== undefined);
      }
    },
    async keysOf(profileIds: string[]): Promise<Array<{ key: string; profileId: string }>> {
      const docs = await keys.find({ profileId: { $in: profileIds } }).lean();
      return docs.map((doc) => ({ key: doc._id, profileId: doc.profileId }));
    },
    async setKeyOwners(list: Array<{ key: string; profileId: string }>): Promise<void> {
      if (list.length === 0) return;
      await keys.bulkWrite(
        list.map(({ key, profileId }) => ({
          updateOne: { filter: { _id: key }, update: { $set: { profileId } }, upsert: true },
        })),
        { ordered: false },
      );
    },
    async repointKeys(from: string[], to: string): Promise<void> {
      await keys.updateMany({ profileId: { $in: from } }, { $set: { profileId: to } });
    },

    async hintHolders(list: string[]): Promise<Map<string, string[]>> {
      if (list.length === 0) return new Map();
      const docs = await hints.find({ _id: { $in: list } }).lean();
      return new Map(docs.map((doc) => [doc._id, doc.profileIds]));
    },
    async addHints(list: Array<{ hint: string; profileId: string }>): Promise<void> {
      if (list.length === 0) return;
      await hints.bulkWrite(
        list.map(({ hint, profileId }) => ({
          updateOne: {
            filter: { _id: hint },
            update: { $addToSet: { profileIds: profileId } },
            upsert: true,
          },
        })),
        { ordered: false },
      );
    },

    /** Touchpoints already stored, with the profile each belongs to. */
    async storedTouchpoints(ids: string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const docs = await touchpoints
        .find({ _id: { $in: ids } }, { profileId: 1 })
        .lean<TouchpointDoc[]>();
      return new Map(docs.map((doc) => [doc._id, doc.profileId]));
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
    },
    async touchpointOwners(
      profileIds: string[],
    ): Promise<Array<{ touchpointId: string; profileId: string }>> {
      const docs = await touchpoints
        .find({ profileId: { $in: profileIds } }, { profileId: 1 })
        .lean<TouchpointDoc[]>();
      return docs.map((doc) => ({ touchpointId: doc._id, profileId: doc.profileId }));
    },
    async setTouchpointOwners(
      list: Array<{ touchpointId: string; profileId: string }>,
    ): Promise<void> {
      if (list.length === 0) return;
      await touchpoints.bulkWrite(
        list.map(({ touchpointId, profileId }) => ({
          updateOne: { filter: { _id: touchpointId }, update: { $set: { profileId } } },
        })),
        { ordered: false },
      );
    },
    async repointTouchpoints(from: string[], to: string): Promise<void> {
      await touchpoints.updateMany({ profileId: { $in: from } }, { $set: { profileId: to } });
    },
    async touchpointsOf(
      profileId: string,
      limit: number,
    ): Promise<Array<Touchpoint & { profileId: string }>> {
      const docs = await touchpoints
        .find({ profileId })
        .sort({ occurredAt: -1 })
        .limit(limit)
        .lean<TouchpointDoc[]>();
      return docs.map(({ _id, ...rest }) => ({ id: _id, ...rest }));
    },
  };
}

function hasWriteErrors(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    Array.isArray((error as { writeErrors?: unknown }).writeErrors)
  );
}

import { isDuplicateKey } from "@symbiont/service-kit";
import { Schema, type Connection } from "mongoose";
import type { MergeActor, MergeRecord, MergeSuggestion } from "../domain/profile.js";

type MergeDoc = Omit<MergeRecord, "id"> & { _id: string };
type SuggestionDoc = Omit<MergeSuggestion, "id"> & { _id: string };

const loose = { versionKey: false as const, strict: false, minimize: false };
const mergeSchema = new Schema<MergeDoc>(
  {
    _id: String,
    survivorId: { type: String, index: true },
    absorbedIds: { type: [String], index: true },
  },
  loose,
);
const suggestionSchema = new Schema<SuggestionDoc>(
  {
    _id: String,
    profileIds: { type: [String], index: true },
    status: { type: String, index: true },
  },
  loose,
);
const blockedSchema = new Schema(
  { _id: String, reason: String, at: String },
  { versionKey: false },
);

export type MergeStore = Awaited<ReturnType<typeof openMergeStore>>;

/** Merges, suggestions and blocked pairs; the (small) set of blocked pairs is kept in memory. */
export async function openMergeStore(connection: Connection) {
  const merges = connection.model<MergeDoc>("Merge", mergeSchema, "merges");
  const suggestions = connection.model<SuggestionDoc>(
    "MergeSuggestion",
    suggestionSchema,
    "merge_suggestions",
  );
  const blocked = connection.model<{ _id: string; reason: string; at: string }>(
    "BlockedPair",
    blockedSchema,
    "blocked_pairs",
  );
  await Promise.all([merges.init(), suggestions.init(), blocked.init()]);
  const blockedPairs = new Set((await blocked.find({}, { _id: 1 }).lean()).map((doc) => doc._id));
  const toMerge = ({ _id, ...rest }: MergeDoc): MergeRecord => ({ id: _id, ...rest });
  const toSuggestion = ({ _id, ...rest }: SuggestionDoc): MergeSuggestion => ({ id: _id, ...rest });
  return {
    async insertMerges(list: MergeRecord[]): Promise<void> {
      if (list.length > 0)
        await merges.insertMany(list.map(({ id, ...rest }) => ({ _id: id, ...rest })));
    },
    async merge(id: string): Promise<MergeRecord | undefined> {
      const doc = await merges.findById(id).lean<MergeDoc>();
      return doc ? toMerge(doc) : undefined;
    },
    /** Marks a merge undone, once: false when it already was. */
    async markUndone(id: string, actor: MergeActor, at: string): Promise<boolean> {
      const result = await merges.updateOne(
        { _id: id, undoneAt: { $exists: false } },
        { $set: { undoneAt: at, undoneBy: actor } },
      );
      return result.modifiedCount === 1;
    },
    /** Merges into `profileId` that are not undone, newest first. */
    async mergesInto(profileId: string): Promise<MergeRecord[]> {
      const docs = await merges.find({ survivorId: profileId }).sort({ at: -1 }).lean<MergeDoc[]>();
      return docs.map(toMerge);
    },
    async mergesOf(profileId: string): Promise<MergeRecord[]> {
      const docs = await merges
        .find({ $or: [{ survivorId: profileId }, { absorbedIds: profileId }] })
        .sort({ at: -1 })
        .limit(100)
        .lean<MergeDoc[]>();
      return docs.map(toMerge);
    },

    /** Stores new suggestions; a pair that already has one keeps it. */
    async addSuggestions(list: MergeSuggestion[]): Promise<MergeSuggestion[]> {
      const added: MergeSuggestion[] = [];
      for (const suggestion of list) {
        const { id, ...rest } = suggestion;
        try {
          await suggestions.create({ _id: id, ...rest });
          added.push(suggestion);
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
        }
      }
      return added;
    },
    async suggestion(id: string): Promise<MergeSuggestion | undefined> {
      const doc = await suggestions.findById(id).lean<SuggestionDoc>();
      return doc ? toSuggestion(doc) : undefined;
    },
    async listSuggestions(
      filter: { profileId?: string; status?: MergeSuggestion["status"] },
      limit: number,
    ) {
      const query: Record<string, unknown> = {};
      if (filter.profileId) query.profileIds = filter.profileId;
      if (filter.status) query.status = filter.status;
      const docs = await suggestions
        .find(query)
        .sort({ createdAt: 1 })
        .limit(limit)
        .lean<SuggestionDoc[]>();
      return docs.map(toSuggestion);
    },
    /** Decides an open suggestion, once: false when it was already decided. */
    async decideSuggestion(
      id: string,
      status: "confirmed" | "rejected",
      actor: MergeActor,
      at: string,
    ) {
      const result = await suggestions.updateOne(
        { _id: id, status: "open" },
        { $set: { status, decidedAt: at, decidedBy: actor } },
      );
      return result.modifiedCount === 1;
    },

    async blockedAmong(pairIds: string[]): Promise<Set<string>> {
      return new Set(pairIds.filter((id) => blockedPairs.has(id)));
    },
    async block(pairIds: string[], reason: string, at: string): Promise<void> {
      for (const id of pairIds) {
        if (blockedPairs.has(id)) continue;
        try {
          await blocked.create({ _id: id, reason, at });
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
        }
        blockedPairs.add(id);
      }
    },
  };
}

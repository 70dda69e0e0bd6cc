import type { Connection } from "mongoose";
import { defaultOfferRules, type OfferRule } from "../domain/offer-rule.js";
import type { OfferMatch } from "../domain/match-offers.js";
import { duplicatePositions } from "./write-errors.js";

// The next-offer rules (one document, replaced as a whole) and the offers already suggested,
// one per person and rule, so a person is not offered the same thing twice and a rebuild of
// the reports publishes nothing again.

export interface Suggestion extends OfferMatch {
  suggestionId: string;
  customerId: string;
  suggestedAt: string;
}

interface RulesDoc {
  _id: "rules";
  rules: OfferRule[];
  version: number;
  updatedAt: string;
  updatedBy: string;
}

type SuggestionDoc = Omit<Suggestion, "suggestionId"> & { _id: string };

export interface OfferStore {
  rules(): Promise<{ rules: OfferRule[]; version: number }>;
  replaceRules(rules: OfferRule[], by: string, at: string): Promise<number>;
  /** Ids of every suggestion made so far (`<customerId>:<rule>`). */
  suggestionIds(): Promise<Set<string>>;
  recordSuggestions(list: Suggestion[]): Promise<void>;
  suggestionsOf(customerId: string): Promise<Suggestion[]>;
}

export function suggestionIdOf(customerId: string, rule: string): string {
  return `${customerId}:${rule}`;
}

export function openOfferStore(connection: Connection): OfferStore {
  const rulesCollection = () => connection.db!.collection<RulesDoc>("offer_rules");
  const suggestions = () => connection.db!.collection<SuggestionDoc>("offer_suggestions");
  return {
    async rules() {
      const doc = await rulesCollection().findOne({ _id: "rules" });
      return doc
        ? { rules: doc.rules, version: doc.version }
        : { rules: defaultOfferRules, version: 0 };
    },
    async replaceRules(rules, by, at) {
      const saved = await rulesCollection().findOneAndUpdate(
        { _id: "rules" },
        { $set: { rules, updatedAt: at, updatedBy: by }, $inc: { version: 1 } },
        { upsert: true, returnDocument: "after" },
      );
      return saved!.version;
    },
    async suggestionIds() {
      const docs = await suggestions()
        .find({}, { projection: { _id: 1 } })
        .toArray();
      return new Set(docs.map((doc) => doc._id));
    },
    async recordSuggestions(list) {
      if (list.length === 0) return;
      try {
        await suggestions().insertMany(
          list.map(({ suggestionId, ...rest }) => ({ _id: suggestionId, ...rest })),
          { ordered: false },
        );
      } catch (error) {
        duplicatePositions(error);
      }
    },
    async suggestionsOf(customerId) {
      const docs = await suggestions().find({ customerId }).toArray();
      return docs.map(({ _id, ...rest }) => ({ suggestionId: _id, ...rest }));
    },
  };
}

import { isDuplicateKey } from "@symbiont/service-kit";
import { Schema, type Connection } from "mongoose";
import type { Rulebook } from "../domain/rulebook.js";

// The rulebook is one document, replaced as a whole at the version that was read. The
// current rulebook is kept in memory too: every offer and order reads it.

interface RulebookDoc {
  _id: "rulebook";
  version: number;
  updatedAt: Date;
  units: Rulebook["units"];
  rules: Rulebook["rules"];
}

const rulebookSchema = new Schema<RulebookDoc>(
  {
    _id: String,
    version: { type: Number, required: true },
    updatedAt: Date,
    units: { type: Schema.Types.Mixed, required: true },
    rules: { type: Schema.Types.Mixed, required: true },
  },
  { versionKey: false, collection: "rulebook" },
);

function toRulebook(doc: RulebookDoc): Rulebook {
  return {
    version: doc.version,
    updatedAt: doc.updatedAt.toISOString(),
    units: doc.units,
    rules: doc.rules,
  };
}

export type RulebookStore = ReturnType<typeof createRulebookStore>;

export function createRulebookStore(connection: Connection) {
  const model = connection.model<RulebookDoc>("Rulebook", rulebookSchema);
  let current: Rulebook | undefined;
  const toDoc = (book: Rulebook): RulebookDoc => ({
    _id: "rulebook",
    version: book.version,
    updatedAt: new Date(book.updatedAt),
    units: book.units,
    rules: book.rules,
  });
  return {
    /** Loads the stored rulebook, storing `initial` first when there is none. */
    async load(initial: Rulebook): Promise<Rulebook> {
      await model.init();
      try {
        await model.create(toDoc(initial));
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      return this.refresh();
    },
    async refresh(): Promise<Rulebook> {
      const doc = await model.findById("rulebook").lean<RulebookDoc>();
      if (!doc) throw new Error("the rulebook is missing from the database");
      current = toRulebook(doc);
      return current;
    },
    current(): Rulebook {
      if (!current) throw new Error("the rulebook is not loaded");
      return current;
    },
    async replaceIfVersion(book: Rulebook, expectedVersion: number): Promise<boolean> {
      const result = await model.replaceOne(
        { _id: "rulebook", version: expectedVersion },
        toDoc(book),
      );
      if (result.modifiedCount === 1) current = book;
      return result.modifiedCount === 1;
    },
  };
}

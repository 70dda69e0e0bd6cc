import { randomBytes } from "node:crypto";
import type { Connection } from "mongoose";

// The event log: every event analytics accepted, as received. It is the source of truth: the
// reports' running aggregates live in memory and are rebuilt from it at start or on demand.
//
// Events are stored in pages (one document per ingested batch) whose events are one JSON
// string. FerretDB v1 converts every nested field between BSON and PostgreSQL's jsonb (or
// SQLite's JSON) on each write and read: measured, a page of 1,000 events as one string is
// written and read about 20 times faster than 1,000 documents with nested payloads, which is
// what lets a million events be rebuilt in seconds. Pages of single bus deliveries are merged
// into larger ones as they accumulate (compaction). A page is written once; a crash between
// writing a merged page and deleting its sources leaves an event in two pages, so readers skip
// an event id they have already seen.

export interface LoggedEvent {
  id: string;
  topic: string;
  data: unknown;
  /** Epoch milliseconds. */
  receivedAt: number;
}

interface PageDoc {
  _id: string;
  size: number;
  events: string;
  writtenAt: Date;
}

export interface LogPage {
  id: string;
  events: LoggedEvent[];
}

export interface EventLog {
  /** Stores the events as one page; durable when it resolves. Returns the page id. */
  append(events: LoggedEvent[]): Promise<string>;
  /** Calls `visit` with every page, a few at a time, in no particular order. */
  replay(visit: (page: LogPage) => void): Promise<number>;
  /** Writes the pages' events as one page, then deletes the pages. */
  merge(pages: LogPage[]): Promise<LogPage>;
}

/** Page ids sort by the time they were written (for people reading the collection). */
function newPageId(): string {
  return `${Date.now().toString(36).padStart(9, "0")}-${randomBytes(6).toString("hex")}`;
}

export function openEventLog(connection: Connection): EventLog {
  const collection = () => connection.db!.collection<PageDoc>("analytics_log");
  const write = async (events: LoggedEvent[]) => {
    const id = newPageId();
    await collection().insertOne({
      _id: id,
      size: events.length,
      events: JSON.stringify(events),
      writtenAt: new Date(),
    });
    return id;
  };
  return {
    append: write,
    async replay(visit) {
      let pages = 0;
      for await (const doc of collection().find({}, { batchSize: 4 })) {
        visit({ id: doc._id, events: JSON.parse(doc.events) as LoggedEvent[] });
        pages++;
      }
      return pages;
    },
    async merge(pages) {
      const events = pages.flatMap((page) => page.events);
      const id = await write(events);
      for (const page of pages) await collection().deleteOne({ _id: page.id });
      return { id, events };
    },
  };
}

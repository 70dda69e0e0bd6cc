import mongoose, { type Connection } from "mongoose";

/**
 * Opens the service's own connection (not mongoose's global one, so several services can
 * share a process in tests). Indexes are built by each model at start (autoIndex).
 * No retryable writes: FerretDB v1 does not implement them, and MongoDB standalone has none.
 */
export async function connectDatabase(uri: string): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    retryWrites: false,
    serverSelectionTimeoutMS: 10_000,
    maxPoolSize: 20,
  });
  await connection.asPromise();
  return connection;
}

/** True when the database answers a ping. */
export async function databaseHealthy(connection: Connection): Promise<boolean> {
  try {
    if (connection.readyState !== mongoose.ConnectionStates.connected || !connection.db) {
      return false;
    }
    await connection.db.admin().ping({ maxTimeMS: 2_000 });
    return true;
  } catch {
    return false;
  }
}

/** True for a duplicate-key error (a unique index refused the write). */
export function isDuplicateKey(error: unknown): boolean {
  return (
    typeof error === "object" && error !== null && (error as { code?: unknown }).code === 11000
  );
}

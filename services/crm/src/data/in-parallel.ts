/**
 * Runs `task` for every item, at most `limit` at a time. FerretDB v1 serves single-document
 * commands by `_id` quickly but scans the collection for `$in` filters and bulk writes, so
 * CRM writes many small commands side by side instead.
 */
export async function inParallel<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

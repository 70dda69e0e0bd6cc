import { createHash } from "node:crypto";
import type { Request } from "express";

// Reads a request body to its end whatever its size, keeping at most `limit` bytes and
// hashing all of it: a message over the limit must still be named (by its hash) and
// acknowledged, so it cannot be refused before it is read.

export interface CappedBody {
  /** The whole body, or undefined when it was over the limit. */
  text: string | undefined;
  /** The first bytes, for the record of a message that cannot be taken. */
  head: string;
  bytes: number;
  sha256: string;
}

export async function readCappedBody(
  req: Request,
  limit: number,
  headBytes: number,
): Promise<CappedBody> {
  const hash = createHash("sha256");
  const kept: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    hash.update(chunk);
    if (bytes + chunk.length <= limit) kept.push(chunk);
    else if (bytes < headBytes) kept.push(chunk.subarray(0, headBytes - bytes));
    bytes += chunk.length;
  }
  const body = Buffer.concat(kept);
  return {
    text: bytes <= limit ? body.toString("utf8") : undefined,
    head: body.subarray(0, headBytes).toString("utf8"),
    bytes,
    sha256: hash.digest("hex"),
  };
}

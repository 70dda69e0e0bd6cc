import type { Readable } from "node:stream";
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";

// File content in an S3-compatible object store: AWS S3, MinIO, SeaweedFS, Ceph RGW, ...
// Objects are written once and never changed (a new version is a new object), so the
// store needs no versioning or locking of its own.

export interface ObjectStoreOptions {
  /** Endpoint URL; undefined for AWS S3 itself. */
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

export interface StoredObject {
  key: string;
  lastModified: Date;
}

export interface ObjectStore {
  readonly bucket: string;
  /** Creates the bucket when it does not exist (an existing one is kept as it is). */
  ensureBucket(): Promise<void>;
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  copy(fromKey: string, toKey: string): Promise<void>;
  /** The object's bytes as a stream, or undefined when there is no such object. */
  get(key: string): Promise<Readable | undefined>;
  delete(key: string): Promise<void>;
  /** Every object under a prefix, page by page. */
  list(prefix: string): AsyncIterable<StoredObject[]>;
  healthy(): Promise<boolean>;
  close(): void;
}

export function createObjectStore(options: ObjectStoreOptions): ObjectStore {
  const client = new S3Client({
    endpoint: options.endpoint,
    region: options.region,
    forcePathStyle: options.forcePathStyle,
    credentials: {
      accessKeyId: options.accessKeyId,
      secretAccessKey: options.secretAccessKey,
    },
    // Checksums only where S3 requires them: stores other than AWS do not all take the
    // SDK's default trailing CRC32 on every PUT.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    maxAttempts: 3,
  });
  const Bucket = options.bucket;
  return {
    bucket: Bucket,
    async ensureBucket() {
      try {
        await client.send(new HeadBucketCommand({ Bucket }));
        return;
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
      try {
        await client.send(new CreateBucketCommand({ Bucket }));
      } catch (error) {
        const name = (error as { name?: string }).name;
        if (name !== "BucketAlreadyOwnedByYou" && name !== "BucketAlreadyExists") throw error;
      }
    },
    async put(key, bytes, contentType) {
      await client.send(
        new PutObjectCommand({ Bucket, Key: key, Body: bytes, ContentType: contentType }),
      );
    },
    async copy(fromKey, toKey) {
      await client.send(
        new CopyObjectCommand({
          Bucket,
          Key: toKey,
          CopySource: `${Bucket}/${fromKey.split("/").map(encodeURIComponent).join("/")}`,
        }),
      );
    },
    async get(key) {
      try {
        const result = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        return result.Body as Readable;
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },
    async *list(prefix) {
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken: token }),
        );
        const objects = (page.Contents ?? []).flatMap((o) =>
          o.Key ? [{ key: o.Key, lastModified: o.LastModified ?? new Date(0) }] : [],
        );
        if (objects.length > 0) yield objects;
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    },
    async healthy() {
      try {
        await client.send(new HeadBucketCommand({ Bucket }), {
          abortSignal: AbortSignal.timeout(2_000),
        });
        return true;
      } catch {
        return false;
      }
    },
    close() {
      client.destroy();
    },
  };
}

function isMissing(error: unknown): boolean {
  if (error instanceof S3ServiceException)
    return error.$metadata.httpStatusCode === 404 || error.name === "NoSuchKey";
  return false;
}

import { loadConfig, serviceEnv } from "@symbiont/service-kit";
import { z } from "zod";
import { defaultAllowedTypes } from "./domain/content-types.js";
import { crashPoints } from "./domain/files-deps.js";
import { grantKeySchema } from "./domain/sandbox.js";

const MiB = 1024 * 1024;

export const filesConfigShape = {
  ...serviceEnv,
  /**
   * Event bodies carry generated documents (base64), so the JSON limit is larger than the
   * kit's default; uploads have their own limit (FILES_MAX_FILE_BYTES).
   */
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1_024)
    .default(4 * MiB),
  /** The S3-compatible store: endpoint URL (empty: AWS S3 of FILES_S3_REGION). */
  FILES_S3_ENDPOINT: z.url().optional(),
  FILES_S3_REGION: z.string().min(1).default("us-east-1"),
  FILES_S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "expected an S3 bucket name"),
  /** Credentials, from a Secret (secretKeyRef) in a cluster; never in a spec. */
  FILES_S3_ACCESS_KEY_ID: z.string().min(1),
  FILES_S3_SECRET_ACCESS_KEY: z.string().min(1),
  /** Path-style URLs (`<endpoint>/<bucket>/<key>`), what most self-hosted stores expect. */
  FILES_S3_FORCE_PATH_STYLE: z.enum(["true", "false"]).default("true"),
  /** Largest file accepted, in bytes (larger: 413). */
  FILES_MAX_FILE_BYTES: z.coerce
    .number()
    .int()
    .min(1_024)
    .default(25 * MiB),
  /** Largest document taken from a `document.generated` event (decoded bytes). */
  FILES_MAX_EVENT_DOCUMENT_BYTES: z.coerce
    .number()
    .int()
    .min(1_024)
    .default(2 * MiB),
  /** Content types accepted, comma-separated (others: 415). */
  FILES_ALLOWED_TYPES: z
    .string()
    .default(defaultAllowedTypes.join(","))
    .transform((value) =>
      value
        .split(",")
        .map((type) => type.trim())
        .filter(Boolean),
    ),
  /** Most characters of extracted text kept per version for search. */
  FILES_MAX_TEXT_CHARS: z.coerce.number().int().min(1_000).default(200_000),
  /**
   * HMAC keys (at least 32 bytes) that sign callers' access tokens (docs/module-contract.md,
   * "files"); a second key, comma-separated, is accepted during a rotation.
   */
  FILES_TOKEN_KEYS: z
    .string()
    .transform((value) => value.split(",").filter(Boolean))
    .refine((keys) => keys.length > 0 && keys.every((key) => key.length >= 32), {
      message: "expected one or two keys of at least 32 characters, comma-separated",
    }),
  /**
   * Grant keys (`team:<id>`, `user:<id>`) that hold every right on the process sandboxes files
   * makes for generated documents, comma-separated.
   */
  FILES_PROCESS_SANDBOX_OWNERS: z
    .string()
    .default("team:managers")
    .transform((value) =>
      value
        .split(",")
        .map((key) => key.trim())
        .filter(Boolean),
    )
    .pipe(z.array(grantKeySchema)),
  /**
   * Dapr's app API token: when set, event deliveries must carry it (`dapr-api-token`), so
   * only the module's own sidecar can deliver them.
   */
  APP_API_TOKEN: z.string().min(16).optional(),
  /**
   * Test hook: stop dead (SIGKILL) at points of writes, `<point>[@<path>],...` (e.g.
   * `content-stored@crash/a.txt`). Never set in production.
   */
  FILES_CRASH_AT: z
    .string()
    .optional()
    .transform((value) =>
      value
        ?.split(",")
        .filter(Boolean)
        .map((rule) => {
          const [point, path] = rule.split("@");
          return { point, ...(path ? { path } : {}) };
        }),
    )
    .pipe(
      z.array(z.object({ point: z.enum(crashPoints), path: z.string().optional() })).optional(),
    ),
};

export type FilesConfig = ReturnType<typeof loadFilesConfig>;

export function loadFilesConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(filesConfigShape, env);
}

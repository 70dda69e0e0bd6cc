import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createObjectStore } from "@symbiont/files";
import { startProcess, stopPid, type ManagedProcess } from "./managed-process.js";
import { freePort, waitUntil } from "./probe.js";
import { toolPath } from "./tool-paths.js";

// A real S3-compatible store (SeaweedFS `weed server`: master, volume, filer and S3 gateway
// in one process) on free loopback ports, its data in the instance folder. S3 requests must
// be signed: one identity with fresh keys is configured, anonymous access is refused.

export interface SeaweedFsOptions {
  /** Instance folder for data, logs and pid files. */
  dir: string;
  name?: string;
}

export interface SeaweedFs {
  /** http://127.0.0.1:<port> */
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

export async function startSeaweedFs(options: SeaweedFsOptions): Promise<SeaweedFs> {
  const name = options.name ?? "seaweedfs";
  const dataDir = join(options.dir, `${name}-data`);
  mkdirSync(dataDir, { recursive: true });
  const accessKeyId = `symbiont${randomBytes(6).toString("hex")}`;
  const secretAccessKey = randomBytes(24).toString("base64url");
  const configFile = join(options.dir, `${name}-s3.json`);
  writeFileSync(
    configFile,
    JSON.stringify({
      identities: [
        {
          name: "symbiont",
          credentials: [{ accessKey: accessKeyId, secretKey: secretAccessKey }],
          actions: ["Admin", "Read", "List", "Tagging", "Write"],
        },
      ],
    }),
    { mode: 0o600 },
  );
  const [master, masterGrpc, volume, volumeGrpc, filer, filerGrpc, s3, s3Grpc] = await freePorts(8);
  const process = await startProcess({
    name,
    dir: options.dir,
    // No hold on the first volume ids: the hold guards a multi-master cluster that lost its
    // state; a fresh single server would make the first write wait ~9 s.
    env: { ...globalThis.process.env, WEED_MASTER_VOLUME_GROWTH_ALLOCATION_DEFERRAL: "0s" },
    command: toolPath("weed"),
    args: [
      "server",
      `-dir=${dataDir}`,
      "-ip=127.0.0.1",
      "-ip.bind=127.0.0.1",
      `-master.port=${master}`,
      `-master.port.grpc=${masterGrpc}`,
      // Small volumes: tests write little, and the default (30 GB) preallocates space.
      "-master.volumeSizeLimitMB=64",
      `-volume.port=${volume}`,
      `-volume.port.grpc=${volumeGrpc}`,
      "-volume.max=20",
      "-filer",
      `-filer.port=${filer}`,
      `-filer.port.grpc=${filerGrpc}`,
      "-s3",
      `-s3.port=${s3}`,
      `-s3.port.grpc=${s3Grpc}`,
      `-s3.config=${configFile}`,
      // Off: the Iceberg and Lance catalogs (fixed default ports), metrics on a port.
      "-s3.port.iceberg=0",
      "-s3.port.lance=0",
    ],
  });
  const endpoint = `http://127.0.0.1:${s3}`;
  // Ready when a signed write goes through: the S3 gateway answers within seconds, but writes
  // wait until the filer has joined the master (about 8 s after start).
  const probe = createObjectStore({
    endpoint,
    region: "us-east-1",
    bucket: "symbiont-probe",
    accessKeyId,
    secretAccessKey,
    forcePathStyle: true,
  });
  try {
    await waitUntil(
      `SeaweedFS S3 on port ${s3} taking writes`,
      async () => {
        await probe.ensureBucket();
        await probe.put("probe", Buffer.from("ok"), "text/plain");
        return true;
      },
      { process, timeoutMs: 90_000, intervalMs: 500 },
    );
  } finally {
    probe.close();
  }
  return {
    endpoint,
    accessKeyId,
    secretAccessKey,
    process,
    // Its data is thrown away: no need to wait the ~25 s it takes to stop on SIGTERM.
    stop: () => stopPid(process.pid, 2_000),
  };
}

async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

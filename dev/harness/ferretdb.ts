import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { startProcess, stopPid, type ManagedProcess } from "./managed-process.js";
import { freePort, waitUntil } from "./probe.js";
import { toolPath } from "./tool-paths.js";

// A real MongoDB-wire server (FerretDB v1) for mongoose, backed by SQLite files in the
// instance folder, or by a fresh database in the machine's PostgreSQL.

export interface FerretDbOptions {
  /** Instance folder for data, logs and pid files. */
  dir: string;
  backend?: "sqlite" | "postgresql";
  /** PostgreSQL server URL without a database (default postgres://postgres@127.0.0.1:5432). */
  postgresServer?: string;
  name?: string;
}

export interface FerretDb {
  readonly port: number;
  /** mongodb://127.0.0.1:<port>/ : append the database name. */
  readonly uri: string;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

export async function startFerretDb(options: FerretDbOptions): Promise<FerretDb> {
  const port = await freePort();
  const name = options.name ?? "ferretdb";
  // The state folder is inside the instance folder, which also marks the process as ours.
  const stateDir = join(options.dir, `${name}-state`);
  mkdirSync(stateDir, { recursive: true });
  let dropDatabase: () => void = () => undefined;
  const args = [
    `--listen-addr=127.0.0.1:${port}`,
    "--telemetry=disable",
    "--log-level=warn",
    `--state-dir=${stateDir}`,
    "--debug-addr=-",
  ];
  if ((options.backend ?? "sqlite") === "sqlite") {
    const dataDir = join(options.dir, `${name}-data`);
    mkdirSync(dataDir, { recursive: true });
    args.push("--handler=sqlite", `--sqlite-url=file:${dataDir}/`);
  } else {
    const server = options.postgresServer ?? "postgres://postgres@127.0.0.1:5432";
    const database = `symbiont_${randomBytes(4).toString("hex")}`;
    execFileSync("psql", [`${server}/postgres`, "-qc", `CREATE DATABASE ${database}`]);
    args.push("--handler=postgresql", `--postgresql-url=${server}/${database}`);
    // The database goes with the instance (a benchmark's can hold gigabytes). A server that
    // is gone already (a test's private one) took it along.
    dropDatabase = () => {
      try {
        execFileSync(
          "psql",
          [`${server}/postgres`, "-qc", `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`],
          {
            stdio: "ignore",
            timeout: 30_000,
          },
        );
      } catch {
        // nothing to drop
      }
    };
  }
  const process = await startProcess({
    name,
    dir: options.dir,
    command: toolPath("ferretdb"),
    args,
  });
  await waitUntil(`FerretDB on port ${port} accepting connections`, () => canConnect(port), {
    process,
    timeoutMs: 30_000,
  });
  return {
    port,
    uri: `mongodb://127.0.0.1:${port}/`,
    process,
    stop: async () => {
      await stopPid(process.pid);
      dropDatabase();
    },
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolveConnect) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolveConnect(true);
    });
    socket.once("error", () => resolveConnect(false));
  });
}

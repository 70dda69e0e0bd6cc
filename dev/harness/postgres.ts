import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { isAlive, startProcess, stopPid, type ManagedProcess } from "./managed-process.js";
import { freePort, waitUntil } from "./probe.js";

// A PostgreSQL server of one's own: `initdb` into the instance folder, on a free port,
// trust authentication on loopback only. Unlike the machine's server it can be stopped and
// started again (a database outage) without touching anyone else's data. As root, the
// server runs as the `postgres` user (PostgreSQL refuses root).

export interface PostgresServer {
  readonly port: number;
  /** postgres://postgres@127.0.0.1:<port> (no database: append /<name>). */
  readonly url: string;
  readonly process: ManagedProcess;
  /** Fast shutdown: clients are disconnected, nothing is lost. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  kill(): void;
}

const asRoot = process.getuid?.() === 0;

function owner(): { uid: number; gid: number } | undefined {
  if (!asRoot) return undefined;
  const [uid, gid] = ["-u", "-g"].map((flag) =>
    Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim()),
  );
  return { uid: uid as number, gid: gid as number };
}

/** The command line that runs `command` as the server's user. */
function asServerUser(command: string, args: string[]): { command: string; args: string[] } {
  return asRoot
    ? {
        command: "setpriv",
        args: ["--reuid=postgres", "--regid=postgres", "--init-groups", command, ...args],
      }
    : { command, args };
}

export async function startPostgres(options: {
  dir: string;
  name?: string;
}): Promise<PostgresServer> {
  const name = options.name ?? "postgres";
  const dataDir = join(options.dir, `${name}-data`);
  const socketDir = join(options.dir, `${name}-socket`);
  const user = owner();
  if (user) chmodSync(options.dir, 0o711);
  for (const folder of [socketDir])
    if (!existsSync(folder)) {
      mkdirSync(folder, { recursive: true });
      if (user) chownSync(folder, user.uid, user.gid);
    }
  if (!existsSync(join(dataDir, "PG_VERSION"))) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    if (user) chownSync(dataDir, user.uid, user.gid);
    const init = asServerUser("initdb", [
      "-D",
      dataDir,
      "-U",
      "postgres",
      "--auth=trust",
      "--no-instructions",
      "-E",
      "UTF8",
    ]);
    execFileSync(init.command, init.args, { stdio: "pipe" });
  }
  const port = await freePort();
  const launch = async (): Promise<ManagedProcess> => {
    const run = asServerUser("postgres", [
      "-D",
      dataDir,
      "-p",
      String(port),
      "-k",
      socketDir,
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "max_connections=200",
    ]);
    const started = await startProcess({ name, dir: options.dir, ...run });
    await waitUntil(`PostgreSQL on port ${port}`, () => accepts(port), {
      process: started,
      timeoutMs: 60_000,
    });
    return started;
  };
  const server: PostgresServer = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}`,
    process: await launch(),
    stop: async () => {
      const pid = server.process.pid;
      try {
        process.kill(pid, "SIGINT");
      } catch {
        return;
      }
      const deadline = Date.now() + 30_000;
      while (isAlive(pid) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      if (isAlive(pid)) await stopPid(pid);
    },
    start: async () => {
      (server as { process: ManagedProcess }).process = await launch();
    },
    kill: () => process.kill(server.process.pid, "SIGKILL"),
  };
  return server;
}

/** The server answers a startup packet (not only the TCP accept of a server still starting). */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("error", () => resolve(false));
    socket.once("connect", () => {
      // SSLRequest: a running server answers one byte, S or N.
      const request = Buffer.alloc(8);
      request.writeInt32BE(8, 0);
      request.writeInt32BE(80877103, 4);
      socket.write(request);
    });
    socket.once("data", () => {
      socket.destroy();
      resolve(true);
    });
  });
}

import { existsSync, mkdirSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { startProcess, stopPid, type ManagedProcess } from "./managed-process.js";
import { freePort, waitUntil } from "./probe.js";

// A NATS server with JetStream of one's own, beside the machine's: a free port and a store
// folder in the instance folder, so streams and consumers of one test never meet another's.

export interface NatsServer {
  readonly port: number;
  /** nats://127.0.0.1:<port> */
  readonly url: string;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

export const natsServer = "/usr/sbin/nats-server";

export async function startNats(dir: string, name = "nats"): Promise<NatsServer> {
  if (!existsSync(natsServer))
    throw new Error(`${natsServer} not found: install the nats-server package`);
  const port = await freePort();
  const store = join(dir, `${name}-store`);
  mkdirSync(store, { recursive: true });
  const process = await startProcess({
    name,
    dir,
    command: natsServer,
    args: ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", store],
  });
  await waitUntil(`nats-server on ${port}`, () => announcesJetStream(port), {
    process,
    timeoutMs: 20_000,
  });
  return {
    port,
    url: `nats://127.0.0.1:${port}`,
    process,
    stop: () => stopPid(process.pid),
  };
}

/** The server's greeting (its INFO line) says JetStream is on. */
function announcesJetStream(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("error", reject);
    socket.once("data", (data) => {
      socket.destroy();
      resolve(/"jetstream":true/.test(data.toString("utf8")));
    });
  });
}

import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { startProcess, stopPid, type ManagedProcess } from "./managed-process.js";
import { freePort, waitUntil } from "./probe.js";

// A RabbitMQ node of one's own, beside the machine's broker: its own node name, AMQP and
// distribution ports (free ones), data (mnesia) and log folders, an Erlang cookie in its own
// HOME, no plugins. Its user and vhosts come from a definitions file read at every boot, so
// no `rabbitmqctl` (and no cookie shared with a CLI) is needed. Unlike the machine's broker
// it can be SIGKILLed and started again on the same ports and data (a broker crash) without
// touching anyone else's queues. Runs `/usr/lib/rabbitmq/bin/rabbitmq-server` directly: the
// /usr/sbin wrapper switches to the `rabbitmq` user, whose home is the machine node's.

export interface RabbitMqNode {
  readonly port: number;
  readonly nodeName: string;
  readonly process: ManagedProcess;
  /** amqp://<user>:<password>@127.0.0.1:<port>/<vhost> */
  url(vhost: string): string;
  /** SIGKILL the node (its process group): a crash, nothing flushed on the way out. */
  kill(): void;
  /** Starts it again on the same ports and data, after a kill or a stop. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export const rabbitMqServer = "/usr/lib/rabbitmq/bin/rabbitmq-server";

export async function startRabbitMq(options: {
  dir: string;
  vhosts: string[];
  name?: string;
}): Promise<RabbitMqNode> {
  if (!existsSync(rabbitMqServer))
    throw new Error(`${rabbitMqServer} not found: install the rabbitmq-server package`);
  const name = options.name ?? "rabbitmq";
  const home = join(options.dir, name);
  mkdirSync(join(home, "log"), { recursive: true });
  const port = await freePort();
  const distPort = await freePort();
  // Unique per instance: nodes register their names with the machine's epmd.
  const nodeName = `${name}-${randomBytes(3).toString("hex")}@localhost`;
  const user = "symbiont";
  const password = randomBytes(12).toString("hex");
  writeFileSync(join(home, "enabled_plugins"), "[].\n");
  writeFileSync(
    join(home, "definitions.json"),
    JSON.stringify(definitions(user, password, options.vhosts)),
  );
  writeFileSync(
    join(home, "rabbitmq.conf"),
    [
      `load_definitions = ${join(home, "definitions.json")}`,
      "loopback_users = none",
      // A broker short of disk or memory blocks publishers; a test machine is often both.
      "disk_free_limit.absolute = 50MB",
      "vm_memory_high_watermark.relative = 0.8",
      "",
    ].join("\n"),
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_NODE_IP_ADDRESS: "127.0.0.1",
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_MNESIA_BASE: join(home, "mnesia"),
    RABBITMQ_LOG_BASE: join(home, "log"),
    RABBITMQ_CONFIG_FILE: join(home, "rabbitmq.conf"),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(home, "advanced.config"),
    RABBITMQ_CONF_ENV_FILE: join(home, "rabbitmq-env.conf"),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(home, "enabled_plugins"),
    RABBITMQ_PLUGINS_EXPAND_DIR: join(home, "plugins-expand"),
    RABBITMQ_PID_FILE: join(home, "rabbitmq.pid"),
  };
  let starts = 0;
  const launch = async (): Promise<ManagedProcess> => {
    starts += 1;
    const started = await startProcess({
      name: starts === 1 ? name : `${name}-${starts}`,
      dir: options.dir,
      command: rabbitMqServer,
      args: [],
      env,
      cwd: home,
    });
    await waitUntil(`RabbitMQ node ${nodeName} on port ${port}`, () => speaksAmqp(port), {
      process: started,
      timeoutMs: 120_000,
      intervalMs: 250,
    });
    return started;
  };
  const node: RabbitMqNode = {
    port,
    nodeName,
    process: await launch(),
    url: (vhost) => `amqp://${user}:${password}@127.0.0.1:${port}/${encodeURIComponent(vhost)}`,
    kill: () => {
      try {
        process.kill(-node.process.pid, "SIGKILL");
      } catch {
        // already gone
      }
    },
    start: async () => {
      (node as { process: ManagedProcess }).process = await launch();
    },
    stop: () => stopPid(node.process.pid, 30_000),
  };
  return node;
}

/** A user with every right on the vhosts (rabbit_password_hashing_sha256: salt + SHA-256). */
function definitions(user: string, password: string, vhosts: string[]) {
  const salt = randomBytes(4);
  const hash = createHash("sha256")
    .update(Buffer.concat([salt, Buffer.from(password)]))
    .digest();
  return {
    users: [
      {
        name: user,
        password_hash: Buffer.concat([salt, hash]).toString("base64"),
        hashing_algorithm: "rabbit_password_hashing_sha256",
        tags: ["administrator"],
      },
    ],
    vhosts: vhosts.map((name) => ({ name })),
    permissions: vhosts.map((vhost) => ({
      user,
      vhost,
      configure: ".*",
      write: ".*",
      read: ".*",
    })),
  };
}

/**
 * The node answers the AMQP 0-9-1 protocol header with its Connection.Start frame: its
 * listener opens last in the boot, once queues are recovered.
 */
function speaksAmqp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(5_000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write(Buffer.from([65, 77, 81, 80, 0, 0, 9, 1])));
    // A method frame (type 1) on channel 0.
    socket.once("data", (data) => done(data[0] === 1));
  });
}

/**
 * A broker shared by test files, each bus on a vhost of its own: exchanges are named after
 * topics, so on one vhost a file's publishes would reach every other file's queues of that
 * topic. The vhosts are declared at boot (`vhostPool`); a bus claims the next free one by
 * creating its marker file, which works across processes.
 */
export interface SharedBroker {
  /** amqp://<user>:<password>@127.0.0.1:<port>/ (a vhost name follows) */
  base: string;
  /** Folder of the claim markers. */
  claims: string;
  vhosts: number;
}

/** The pool's vhost names. */
export function vhostPool(size: number): string[] {
  return Array.from({ length: size }, (_, index) => `bus-${index + 1}`);
}

/** Claims a free vhost of the shared broker; throws when all are taken. */
export function claimVhost(broker: SharedBroker, owner: string): string {
  for (const vhost of vhostPool(broker.vhosts)) {
    try {
      writeFileSync(join(broker.claims, vhost), owner, { flag: "wx" });
      return vhost;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  throw new Error(`all ${broker.vhosts} vhosts of the shared test broker are taken`);
}

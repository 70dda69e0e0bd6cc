import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startControlPlane, type ControlPlane } from "../../dev/harness/control-plane.js";
import {
  startRabbitMq,
  vhostPool,
  type RabbitMqNode,
  type SharedBroker,
} from "../../dev/harness/rabbitmq.js";

// The integration suite's control plane: one per run, torn down (processes stopped, folder
// removed) when the run ends, also after failures. A run killed before teardown leaves pid
// files that the next run's startControlPlane() cleans up.
//
// And a RabbitMQ node of the run's own for the services' buses, a vhost per bus (exchanges
// are named after topics: on one vhost, one file's messages would reach another's queues).

declare module "vitest" {
  export interface ProvidedContext {
    kubeconfigPath: string;
    controlPlaneDir: string;
    sharedBroker: SharedBroker;
  }
}

let controlPlane: ControlPlane | undefined;
let broker: RabbitMqNode | undefined;
let brokerDir: string | undefined;
const vhosts = 40;

export async function setup(project: TestProject): Promise<void> {
  const started = Date.now();
  brokerDir = mkdtempSync(join(tmpdir(), "symbiont-test-broker-"));
  const claims = join(brokerDir, "claims");
  mkdirSync(claims);
  [controlPlane, broker] = await Promise.all([
    startControlPlane({ nodes: 2 }),
    startRabbitMq({ dir: brokerDir, vhosts: vhostPool(vhosts), name: "test-broker" }),
  ]);
  project.provide("sharedBroker", { base: broker.url(""), claims, vhosts });
  project.provide("kubeconfigPath", controlPlane.kubeconfigPath);
  project.provide("controlPlaneDir", controlPlane.dir);
  process.env.KUBECONFIG = controlPlane.kubeconfigPath;
  console.log(
    `control plane ready in ${((Date.now() - started) / 1000).toFixed(1)}s at ${controlPlane.server}`,
  );
}

export async function teardown(): Promise<void> {
  await Promise.all([controlPlane?.stop(), broker?.stop()]);
  if (brokerDir) rmSync(brokerDir, { recursive: true, force: true });
}

import type { TestProject } from "vitest/node";
import { startControlPlane, type ControlPlane } from "../../dev/harness/control-plane.js";

// The integration suite's control plane: one per run, torn down (processes stopped, folder
// removed) when the run ends, also after failures. A run killed before teardown leaves pid
// files that the next run's startControlPlane() cleans up.

declare module "vitest" {
  export interface ProvidedContext {
    kubeconfigPath: string;
    controlPlaneDir: string;
  }
}

let controlPlane: ControlPlane | undefined;

export async function setup(project: TestProject): Promise<void> {
  const started = Date.now();
  controlPlane = await startControlPlane({ nodes: 2 });
  project.provide("kubeconfigPath", controlPlane.kubeconfigPath);
  project.provide("controlPlaneDir", controlPlane.dir);
  process.env.KUBECONFIG = controlPlane.kubeconfigPath;
  console.log(
    `control plane ready in ${((Date.now() - started) / 1000).toFixed(1)}s at ${controlPlane.server}`,
  );
}

export async function teardown(): Promise<void> {
  await controlPlane?.stop();
}

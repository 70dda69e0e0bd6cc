import { execFile } from "node:child_process";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "../../operator/src/kube/kube-object.js";
import { readToolVersions, repoRoot, toolPath } from "../../dev/harness/tool-paths.js";

// The chart as users meet it: the pinned helm and kubectl of `make tools`, run as processes.

export const chartPath = join(repoRoot, "charts", "symbiont");

/** The Kubernetes version of the test control plane, for `helm template --kube-version`. */
export const kubeVersion = readToolVersions()["KUBERNETES_VERSION"]!.replace(/^v/, "");

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs helm or kubectl; never throws on a non-zero exit (the caller asserts on it). */
export function runTool(
  tool: "helm" | "kubectl",
  args: string[],
  env: Record<string, string> = {},
): Promise<ToolResult> {
  return new Promise((resolveRun) => {
    execFile(
      toolPath(tool),
      args,
      { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, cwd: repoRoot },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolveRun({ code, stdout, stderr });
      },
    );
  });
}

/** Like runTool, but a non-zero exit is an error that carries helm's or kubectl's message. */
export async function mustRun(
  tool: "helm" | "kubectl",
  args: string[],
  env: Record<string, string> = {},
): Promise<string> {
  const result = await runTool(tool, args, env);
  if (result.code !== 0) {
    throw new Error(`${tool} ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
  }
  return result.stdout;
}

export type Rendered = KubeObject & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** `helm template` of the chart with --set values; the objects it renders. */
export async function renderChart(
  set: string[] = [],
  { namespace = "symbiont-system", release = "symbiont", chart = chartPath } = {},
): Promise<Rendered[]> {
  const stdout = await mustRun("helm", [
    "template",
    release,
    chart,
    "--namespace",
    namespace,
    "--kube-version",
    kubeVersion,
    ...set.flatMap((value) => ["--set", value]),
  ]);
  return parseAllDocuments(stdout)
    .map((doc) => doc.toJSON() as Rendered | null)
    .filter((object): object is Rendered => Boolean(object?.kind));
}

export function findObject(objects: Rendered[], kind: string, name?: string): Rendered {
  const found = objects.find((o) => o.kind === kind && (!name || o.metadata.name === name));
  if (!found) {
    const present = objects.map((o) => `${o.kind}/${o.metadata.name}`).join(", ");
    throw new Error(`no ${kind}${name ? ` ${name}` : ""} rendered; rendered: ${present}`);
  }
  return found;
}

import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// Where `make tools` (tools/build.sh) puts each pinned binary. Both read tools/versions.env,
// so a version bump there moves the harness, the demo and `make cluster` together.

export const repoRoot = resolve(fileURLToPath(new URL("../..", import.meta.url)));

export type ToolName =
  | "etcd"
  | "kube-apiserver"
  | "kube-controller-manager"
  | "kube-scheduler"
  | "kubectl"
  | "kwok"
  | "helm"
  | "daprd"
  | "ferretdb"
  | "weed";

const toolFolder: Record<ToolName, { folder: string; versionKey: string }> = {
  etcd: { folder: "etcd", versionKey: "ETCD_VERSION" },
  "kube-apiserver": { folder: "kubernetes", versionKey: "KUBERNETES_VERSION" },
  "kube-controller-manager": { folder: "kubernetes", versionKey: "KUBERNETES_VERSION" },
  "kube-scheduler": { folder: "kubernetes", versionKey: "KUBERNETES_VERSION" },
  kubectl: { folder: "kubernetes", versionKey: "KUBERNETES_VERSION" },
  kwok: { folder: "kwok", versionKey: "KWOK_VERSION" },
  helm: { folder: "helm", versionKey: "HELM_VERSION" },
  daprd: { folder: "daprd", versionKey: "DAPR_VERSION" },
  ferretdb: { folder: "ferretdb", versionKey: "FERRETDB_VERSION" },
  weed: { folder: "seaweedfs", versionKey: "SEAWEEDFS_VERSION" },
};

export function toolsCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SYMBIONT_CACHE) return env.SYMBIONT_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "symbiont");
}

export function readToolVersions(
  file = join(repoRoot, "tools", "versions.env"),
): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const match = /^\s*([A-Z0-9_]+)=(\S+)\s*$/.exec(line);
    if (match) versions[match[1]!] = match[2]!;
  }
  return versions;
}

/** The folder of one tool at its pinned version: `<cache>/<tool>/<version>`. */
export function toolHome(name: ToolName): string {
  const { folder, versionKey } = toolFolder[name];
  const version = readToolVersions()[versionKey];
  if (!version) throw new Error(`tools/versions.env has no ${versionKey}`);
  return join(toolsCacheDir(), folder, version);
}

/** The path of a built binary; throws with the fix when `make tools` has not built it. */
export function toolPath(name: ToolName): string {
  const home = toolHome(name);
  const binary = join(home, "bin", name);
  if (!existsSync(join(home, ".complete")) || !existsSync(binary)) {
    throw new Error(
      `${name} is not built at ${home}: run \`make tools\` (it builds the pinned versions of tools/versions.env)`,
    );
  }
  return binary;
}

/** The folder of links to every built tool, for PATH. */
export function toolsBinDir(): string {
  return join(toolsCacheDir(), "bin");
}

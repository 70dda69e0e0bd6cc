import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { selfHosted, type DaprObject } from "../render/self-hosted.js";

// Turns what the operator rendered in the API server into a self-hosted daprd's resources
// folder: the Components, Subscriptions and Resiliency whose scopes admit the app-id, as
// they are, plus a local secret store holding the values of the Secrets they reference
// (what the Kubernetes secret store does in a cluster), and the Dapr Configuration without
// mTLS (there is no sentry outside a cluster).

export const localSecretStore = "symbiont-local-secrets";

export interface DaprInputs {
  components: DaprObject[];
  subscriptions: DaprObject[];
  resiliencies: DaprObject[];
  configurations: DaprObject[];
  secrets: Map<string, Record<string, string>>;
}

const admits = (object: DaprObject, appId: string) =>
  !object.scopes?.length || object.scopes.includes(appId);

/** Writes <dir>/resources/*.yaml and <dir>/config.yaml; returns their paths. */
export function writeDaprResources(
  dir: string,
  appId: string,
  configName: string | undefined,
  inputs: DaprInputs,
): { resourcesDir: string; configFile?: string; content: string } {
  const resourcesDir = join(dir, "resources");
  mkdirSync(resourcesDir, { recursive: true });
  const files: [string, unknown][] = [];
  const secretsFile = join(dir, "secrets.json");
  const referenced: Record<string, Record<string, string>> = {};

  for (const component of inputs.components.filter((c) => admits(c, appId))) {
    for (const item of component.spec?.metadata ?? []) {
      if (item.secretKeyRef) {
        const secret = inputs.secrets.get(item.secretKeyRef.name) ?? {};
        referenced[item.secretKeyRef.name] = secret;
      }
    }
    files.push([
      `component-${component.metadata.name}.yaml`,
      { ...selfHosted(component), auth: { secretStore: localSecretStore } },
    ]);
  }
  for (const kind of [inputs.subscriptions, inputs.resiliencies]) {
    for (const object of kind.filter((o) => admits(o, appId))) {
      files.push([`${object.kind.toLowerCase()}-${object.metadata.name}.yaml`, selfHosted(object)]);
    }
  }
  writeIfChanged(secretsFile, JSON.stringify(referenced), 0o600);
  files.push([
    "component-local-secrets.yaml",
    {
      apiVersion: "dapr.io/v1alpha1",
      kind: "Component",
      metadata: { name: localSecretStore },
      spec: {
        type: "secretstores.local.file",
        version: "v1",
        metadata: [
          { name: "secretsFile", value: secretsFile },
          { name: "multiValued", value: "true" },
        ],
      },
    },
  ]);
  let content = "";
  for (const [file, object] of files) {
    const text = stringify(object);
    content += text;
    writeIfChanged(join(resourcesDir, file), text);
  }
  const wanted = new Set(files.map(([file]) => file));
  for (const file of readdirSync(resourcesDir).filter((f) => !wanted.has(f)))
    rmSync(join(resourcesDir, file));
  let configFile: string | undefined;
  const configuration = inputs.configurations.find((c) => c.metadata.name === configName);
  if (configuration) {
    const config = selfHosted(configuration) as { spec?: Record<string, unknown> };
    config.spec = { ...config.spec, mtls: { enabled: false } };
    configFile = join(dir, "config.yaml");
    const text = stringify(config);
    content += text;
    writeIfChanged(configFile, text);
  }
  content += JSON.stringify(referenced);
  return { resourcesDir, configFile, content };
}

/**
 * daprd hot-reloads what changes in its folder: a file rewritten with the same content, or
 * removed and written again, would reload the bus before the secret store it reads from,
 * and daprd exits. Only what changed is written.
 */
function writeIfChanged(path: string, text: string, mode?: number): void {
  if (existsSync(path) && readFileSync(path, "utf8") === text) return;
  writeFileSync(path, text, mode === undefined ? undefined : { mode });
}

import { existsSync } from "node:fs";
import { KubeConfig } from "@kubernetes/client-node";

// The Kubernetes API for status and Events: KUBECONFIG when set, else the in-cluster
// service account; undefined when neither exists (tests and runs without a cluster).

export function kubeAccess(
  env: NodeJS.ProcessEnv = process.env,
): { config: KubeConfig; source: string } | undefined {
  if (env.KUBECONFIG) {
    const config = new KubeConfig();
    config.loadFromFile(env.KUBECONFIG);
    return { config, source: `KUBECONFIG ${env.KUBECONFIG}` };
  }
  if (
    env.KUBERNETES_SERVICE_HOST &&
    existsSync("/var/run/secrets/kubernetes.io/serviceaccount/token")
  ) {
    const config = new KubeConfig();
    config.loadFromCluster();
    return { config, source: "in-cluster service account" };
  }
  return undefined;
}

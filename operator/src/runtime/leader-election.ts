import type { Lease, LeaseClient } from "@symbiont/contracts";
import { KubeApiError } from "../kube/api-error.js";
import type { KubeClient } from "../kube/kube-client.js";
import type { KubeObject } from "../kube/kube-object.js";

export { LeaderElector } from "@symbiont/contracts";

// The operator's Lease (one reconciling replica) through its own Kubernetes client; the
// election itself is @symbiont/contracts' LeaderElector, which the bus gateway uses too.

export function kubeLeaseClient(client: KubeClient, namespace: string, name: string): LeaseClient {
  const ref = { apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace, name };
  return {
    read: async () => (await client.get<KubeObject>(ref)) as Lease | undefined,
    create: async (lease) => {
      await client.create({ ...ref, ...lease } as KubeObject);
    },
    replace: async (lease) => {
      try {
        await client.replace({ ...ref, ...lease } as KubeObject);
        return true;
      } catch (error) {
        if (error instanceof KubeApiError && error.isConflict) return false;
        throw error;
      }
    },
  };
}

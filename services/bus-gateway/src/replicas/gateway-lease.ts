import { CustomObjectsApi, type KubeConfig } from "@kubernetes/client-node";
import type { Lease, LeaseClient, ObservedLeader } from "@symbiont/contracts";
import { z } from "zod";

// The gateway's Lease: its holder is the active replica, the ledger's only writer, and it
// writes on the Lease where the standbys find it.

/** Where the active replica takes each kind of call. */
export interface GatewayEndpoints {
  /** Deliveries from a sidecar (`/events/*`). */
  http: string;
  /** Partner webhooks (`/inbound/*`). */
  webhooks: string;
  /** The admin API. */
  admin: string;
}

export const endpointsAnnotation = "symbiont.dev/gateway-endpoints";

const endpointsSchema = z.object({
  http: z.url(),
  webhooks: z.url(),
  admin: z.url(),
});

export function endpointsOf(
  host: string,
  ports: { http: number; webhooks: number; admin: number },
): GatewayEndpoints {
  // An IPv6 pod address goes in brackets in a URL.
  const at = host.includes(":") ? `[${host}]` : host;
  return {
    http: `http://${at}:${ports.http}`,
    webhooks: `http://${at}:${ports.webhooks}`,
    admin: `http://${at}:${ports.admin}`,
  };
}

/** The endpoints a holder wrote on its Lease; undefined when there are none that parse. */
export function activeEndpoints(leader: ObservedLeader | undefined): GatewayEndpoints | undefined {
  const text = leader?.annotations[endpointsAnnotation];
  if (!text) return undefined;
  try {
    const parsed = endpointsSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The Lease through the Kubernetes API (as a generic object: its times stay text). */
export function gatewayLeaseClient(kube: KubeConfig, namespace: string, name: string): LeaseClient {
  const api = kube.makeApiClient(CustomObjectsApi);
  const where = { group: "coordination.k8s.io", version: "v1", namespace, plural: "leases" };
  const code = (error: unknown) => (error as { code?: number }).code;
  return {
    read: async () => {
      try {
        return (await api.getNamespacedCustomObject({ ...where, name })) as Lease;
      } catch (error) {
        if (code(error) === 404) return undefined;
        throw error;
      }
    },
    create: async (lease) => {
      await api.createNamespacedCustomObject({ ...where, body: lease });
    },
    replace: async (lease) => {
      try {
        await api.replaceNamespacedCustomObject({ ...where, name, body: lease });
        return true;
      } catch (error) {
        if (code(error) === 409) return false;
        throw error;
      }
    },
  };
}

/** True when the Dapr sidecar answers its outbound health check (components loaded). */
export async function daprSidecarHealthy(daprUrl: string, timeoutMs = 2_000): Promise<boolean> {
  try {
    const response = await fetch(`${daprUrl}/v1.0/healthz/outbound`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    return response.status === 204;
  } catch {
    return false;
  }
}

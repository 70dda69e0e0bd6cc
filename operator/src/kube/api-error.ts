/** A failed Kubernetes API request, with the API server's own Status reason and message. */
export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly method: string,
    readonly path: string,
  ) {
    super(`${method} ${path}: ${status} ${reason}: ${message}`);
    this.name = "KubeApiError";
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  get isConflict(): boolean {
    return this.status === 409;
  }

  /** Retrying may help: throttling, server errors, timeouts. */
  get isTransient(): boolean {
    return this.status === 429 || this.status >= 500 || this.status === 0;
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof KubeApiError && error.isNotFound;
}

export function isConflict(error: unknown): boolean {
  return error instanceof KubeApiError && error.isConflict;
}

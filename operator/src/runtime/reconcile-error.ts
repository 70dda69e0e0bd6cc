// The one error type of reconcilers: a CamelCase reason and a message a person can act on.
// `terminal` errors (an invalid spec) are explained in status and not retried; the next
// change of the object brings a new attempt.

export class ReconcileError extends Error {
  constructor(
    readonly reason: string,
    message: string,
    readonly terminal = false,
  ) {
    super(message);
    this.name = "ReconcileError";
  }
}

/** The reason and message to show in status for any error. */
export function describeError(error: unknown): {
  reason: string;
  message: string;
  terminal: boolean;
} {
  if (error instanceof ReconcileError) {
    return { reason: error.reason, message: error.message, terminal: error.terminal };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    reason: "ReconcileFailed",
    message: `${message}; retrying with backoff`,
    terminal: false,
  };
}

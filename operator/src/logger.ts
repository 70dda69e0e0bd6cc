import { pino, type Logger } from "pino";

/** Structured JSON logs; every reconcile line carries kind, namespace and name. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { component: "symbiont-operator" } });
}

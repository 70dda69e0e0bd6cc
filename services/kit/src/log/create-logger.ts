import { pino, type Logger, type LevelWithSilent } from "pino";

/** JSON logs on stdout, one line per event, always naming the service. */
export function createLogger(options: { service: string; level?: LevelWithSilent }): Logger {
  return pino({
    level: options.level ?? "info",
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Request bodies may hold personal data: never log them, and hide common secrets.
    redact: ["req.headers.authorization", "*.password", "*.token"],
  });
}

import { z } from "zod";

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/**
 * Reads the service's configuration from the environment. A missing or wrong variable
 * throws a ConfigError whose message names every failing variable, so the service stops
 * at start with a message a person can act on.
 */
export function loadConfig<Shape extends z.ZodRawShape>(
  shape: Shape,
  env: NodeJS.ProcessEnv = process.env,
): z.output<z.ZodObject<Shape>> {
  const result = z.object(shape).safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.map(String).join(".");
    // A nested issue (a JSON setting's field) belongs to the variable that holds it.
    const value = env[String(issue.path[0])];
    const reason = value === undefined ? "is not set" : `is invalid (${issue.message})`;
    return `${name} ${reason}`;
  });
  throw new ConfigError(`invalid configuration: ${problems.join("; ")}`);
}

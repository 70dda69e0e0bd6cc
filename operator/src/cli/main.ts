import { runCli } from "./kubectl-symbiont.js";

// The kubectl-symbiont executable (operator/bin/kubectl-symbiont runs it).

try {
  process.exitCode = await runCli(process.argv.slice(2), process.env, (text) =>
    process.stdout.write(`${text}\n`),
  );
} catch (error) {
  // CliError, a refused flag or the API server's answer: the message says what to do.
  process.stderr.write(`error: ${(error as Error).message}\n`);
  if (process.env.SYMBIONT_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
  process.exitCode = 1;
}

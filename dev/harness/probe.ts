import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { logTail, type ManagedProcess } from "./managed-process.js";

// Ports handed out by this process: a port is free only until its user listens on it, and
// the kernel may offer a just-released port again (a daprd given its app's port as its own).
const handedOut = new Set<number>();

// Ports come from below the kernel's ephemeral range (32768 and up on Linux), which outgoing
// connections draw from: a port handed out but not listened on yet could otherwise be taken
// by any connection meanwhile (a gateway failed to start with EADDRINUSE so). Each test
// worker has a slice of its own, so two test files running side by side never pick the same
// one; other processes (the demo, benches, the suite's setup) take slice 0.
const sliceSize = 2_400;
const slices = 5;
const slice = Number(process.env.VITEST_POOL_ID ?? 0) % slices;
const firstPort = 20_000 + slice * sliceSize;
let nextOffset = Math.floor(Math.random() * sliceSize);

/** A port nobody listens on right now, and not handed out before by this process. */
export async function freePort(): Promise<number> {
  for (let tried = 0; tried < sliceSize; tried++) {
    const port = firstPort + (nextOffset % sliceSize);
    nextOffset += 1;
    if (handedOut.has(port) || !(await canListen(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port left in ${firstPort}-${firstPort + sliceSize - 1}`);
}

/** Whether a server could listen on the port, on every address (as the services do). */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolveFree(false));
    server.listen(port, "0.0.0.0", () => server.close(() => resolveFree(true)));
  });
}

export interface HttpProbe {
  url: string;
  ca?: Buffer;
  token?: string;
  /** For loopback components with self-signed serving certs (kcm, scheduler health). */
  insecure?: boolean;
}

/** GET the url; resolves with the status code and body, or rejects on connection errors. */
export function httpGet(probe: HttpProbe): Promise<{ status: number; body: string }> {
  const url = new URL(probe.url);
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolveGet, reject) => {
    const req = request(
      url,
      {
        method: "GET",
        timeout: 5_000,
        ca: probe.ca,
        rejectUnauthorized: !probe.insecure,
        headers: probe.token ? { authorization: `Bearer ${probe.token}` } : {},
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolveGet({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`timeout GET ${probe.url}`)));
    req.on("error", reject);
    req.end();
  });
}

/**
 * Polls `check` until it returns true. Fails fast when `process` exits, and on timeout,
 * with the last error and the tail of the process log, so a broken start says why.
 */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  options: { timeoutMs?: number; process?: ManagedProcess; intervalMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let lastError = "";
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = (error as Error).message;
    }
    const exited = options.process?.exited() ?? false;
    if (exited || Date.now() > deadline) {
      const reason = exited ? "the process exited" : "timed out";
      const log = options.process
        ? `\n--- ${options.process.logFile} ---\n${logTail(options.process.logFile)}`
        : "";
      throw new Error(`${what}: ${reason}${lastError ? ` (last error: ${lastError})` : ""}${log}`);
    }
    await sleep(options.intervalMs ?? 200);
  }
}

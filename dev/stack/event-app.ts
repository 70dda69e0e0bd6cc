import { listen } from "@symbiont/service-kit";
import type { AddressInfo } from "node:net";

// A module's app as a test plays it behind a real daprd: it answers the sidecar's start-up
// calls (no programmatic subscriptions, default config) and hands every delivery (a POST of
// a CloudEvent, or a binding's request) to `answer`, replying with the JSON it returns.

export interface EventApp {
  readonly port: number;
  close(): Promise<void>;
}

export async function startEventApp(
  answer: (path: string, body: unknown) => string,
): Promise<EventApp> {
  // The kit's listen keeps idle connections longer than the sidecar does: with Node's 5 s a
  // sidecar reusing a connection as Node closes it fails that delivery.
  const server = await listen(
    (req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(req.method === "POST" ? answer(req.url ?? "", JSON.parse(body)) : "[]");
      });
    },
    0,
    "127.0.0.1",
  );
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

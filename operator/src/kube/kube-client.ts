import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import { KubeApiError } from "./api-error.js";
import type { KubeList, KubeObject, ObjectRef } from "./kube-object.js";
import {
  collectionPath,
  knownResource,
  objectPath,
  rememberResource,
  type ResourceInfo,
} from "./resource-table.js";
import { TokenBucket } from "./token-bucket.js";

// A thin JSON client for the Kubernetes REST API. @kubernetes/client-node provides the
// kubeconfig and credentials; requests go out as plain JSON so no field is lost to a typed
// model (its object API drops `default` and `x-kubernetes-*` schema keys, for one). Adds
// what client-go has and client-node lacks: a client-side rate limiter and one keep-alive
// connection pool.

export interface RequestRecord {
  method: string;
  kind: string;
  status: number;
  seconds: number;
}

export interface KubeClientOptions {
  qps?: number;
  burst?: number;
  userAgent?: string;
  /** Called after every request (metrics, benchmarks). */
  onRequest?: (record: RequestRecord) => void;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

export interface WatchEvent {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: KubeObject & { code?: number; reason?: string; message?: string };
}

export type ResourceType = Pick<ObjectRef, "apiVersion" | "kind">;

export class KubeClient {
  private readonly limiter: TokenBucket;
  private readonly server: URL;
  private agent: HttpAgent | HttpsAgent | undefined;

  constructor(
    private readonly kc: KubeConfig,
    private readonly options: KubeClientOptions = {},
  ) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error("the kubeconfig has no current cluster");
    this.server = new URL(cluster.server);
    this.limiter = new TokenBucket(options.qps ?? 50, options.burst ?? 100);
  }

  async get<T extends KubeObject>(ref: ObjectRef): Promise<T | undefined> {
    const info = await this.resource(ref);
    try {
      return await this.request<T>("GET", objectPath(info, ref.name, ref.namespace), {
        kind: ref.kind,
      });
    } catch (error) {
      if (error instanceof KubeApiError && error.isNotFound) return undefined;
      throw error;
    }
  }

  async list<T extends KubeObject>(
    type: ResourceType,
    options: ListOptions = {},
  ): Promise<KubeList<T>> {
    const info = await this.resource(type);
    const query = new URLSearchParams();
    for (const key of [
      "labelSelector",
      "fieldSelector",
      "limit",
      "continue",
      "resourceVersion",
    ] as const) {
      const value = options[key];
      if (value !== undefined) query.set(key, String(value));
    }
    const list = await this.request<KubeList<T>>("GET", collectionPath(info, options.namespace), {
      query,
      kind: type.kind,
    });
    // List items carry no apiVersion/kind of their own.
    for (const item of list.items) {
      item.apiVersion = type.apiVersion;
      item.kind = type.kind;
    }
    return list;
  }

  /** Server-side apply; with `subresource: "status"` applies the status only. */
  async apply<T extends KubeObject>(
    object: KubeObject,
    options: { fieldManager: string; force?: boolean; subresource?: "status" },
  ): Promise<T> {
    const info = await this.resource(object);
    const query = new URLSearchParams({ fieldManager: options.fieldManager });
    if (options.force ?? true) query.set("force", "true");
    const path =
      objectPath(info, object.metadata.name, object.metadata.namespace) +
      (options.subresource ? `/${options.subresource}` : "");
    return this.request<T>("PATCH", path, {
      query,
      body: object,
      contentType: "application/apply-patch+yaml",
      kind: object.kind,
    });
  }

  async create<T extends KubeObject>(object: KubeObject, fieldManager?: string): Promise<T> {
    const info = await this.resource(object);
    const query = new URLSearchParams(fieldManager ? { fieldManager } : {});
    return this.request<T>("POST", collectionPath(info, object.metadata.namespace), {
      query,
      body: object,
      kind: object.kind,
    });
  }

  async replace<T extends KubeObject>(object: KubeObject): Promise<T> {
    const info = await this.resource(object);
    return this.request<T>(
      "PUT",
      objectPath(info, object.metadata.name, object.metadata.namespace),
      {
        body: object,
        kind: object.kind,
      },
    );
  }

  async patch<T extends KubeObject>(
    ref: ObjectRef,
    body: unknown,
    contentType: "application/merge-patch+json" | "application/json-patch+json",
    subresource?: "status",
  ): Promise<T> {
    const info = await this.resource(ref);
    const path = objectPath(info, ref.name, ref.namespace) + (subresource ? `/${subresource}` : "");
    return this.request<T>("PATCH", path, { body, contentType, kind: ref.kind });
  }

  /** Deletes; a missing object is not an error. `uid` guards against deleting a successor. */
  async delete(
    ref: ObjectRef,
    options: { uid?: string; propagationPolicy?: string } = {},
  ): Promise<void> {
    const info = await this.resource(ref);
    const body = {
      apiVersion: "v1",
      kind: "DeleteOptions",
      propagationPolicy: options.propagationPolicy ?? "Background",
      ...(options.uid ? { preconditions: { uid: options.uid } } : {}),
    };
    try {
      await this.request("DELETE", objectPath(info, ref.name, ref.namespace), {
        body,
        kind: ref.kind,
      });
    } catch (error) {
      if (error instanceof KubeApiError && (error.isNotFound || error.isConflict)) return;
      throw error;
    }
  }

  /**
   * Streams watch events until the server closes the stream, `signal` aborts, or an error
   * occurs (an ERROR event, e.g. 410 Gone, is thrown as a KubeApiError).
   */
  async watch(
    type: ResourceType,
    options: ListOptions & { timeoutSeconds?: number },
    onEvent: (event: WatchEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const info = await this.resource(type);
    const query = new URLSearchParams({ watch: "1", allowWatchBookmarks: "true" });
    for (const key of [
      "labelSelector",
      "fieldSelector",
      "resourceVersion",
      "timeoutSeconds",
    ] as const) {
      const value = options[key];
      if (value !== undefined) query.set(key, String(value));
    }
    const path = collectionPath(info, options.namespace);
    const response = await this.send("GET", path, { query, kind: type.kind, signal });
    if ((response.statusCode ?? 0) >= 300) {
      throw await this.errorOf("GET", path, response);
    }
    await new Promise<void>((resolveStream, reject) => {
      let buffer = "";
      let failed = false;
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        buffer += chunk;
        let newline: number;
        while (!failed && (newline = buffer.indexOf("\n")) !== -1) {
          const line = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          if (!line) continue;
          const event = JSON.parse(line) as WatchEvent;
          if (event.type === "ERROR") {
            failed = true;
            const status = event.object;
            response.destroy();
            reject(
              new KubeApiError(
                status.code ?? 500,
                status.reason ?? "Error",
                status.message ?? "",
                "WATCH",
                path,
              ),
            );
            return;
          }
          if (event.object.kind === undefined || event.object.apiVersion === undefined) {
            event.object.apiVersion = type.apiVersion;
            event.object.kind = type.kind;
          }
          onEvent(event);
        }
      });
      response.on("end", () => resolveStream());
      response.on("close", () => resolveStream());
      response.on("error", (error) => (signal.aborted ? resolveStream() : reject(error)));
    });
  }

  /** The resource of a kind: from the table, or discovered once from the API server. */
  async resource(type: ResourceType): Promise<ResourceInfo> {
    const known = knownResource(type.apiVersion, type.kind);
    if (known) return known;
    const base = type.apiVersion.includes("/")
      ? `/apis/${type.apiVersion}`
      : `/api/${type.apiVersion}`;
    const list = await this.request<{
      resources: { name: string; kind: string; namespaced: boolean }[];
    }>("GET", base, { kind: "Discovery" });
    const found = list.resources.find((r) => r.kind === type.kind && !r.name.includes("/"));
    if (!found) throw new Error(`the API server does not serve ${type.kind} in ${type.apiVersion}`);
    const info = {
      apiVersion: type.apiVersion,
      kind: type.kind,
      plural: found.name,
      namespaced: found.namespaced,
    };
    rememberResource(info);
    return info;
  }

  async request<T>(
    method: string,
    path: string,
    options: { query?: URLSearchParams; body?: unknown; contentType?: string; kind: string },
  ): Promise<T> {
    const response = await this.send(method, path, options);
    const text = await readBody(response);
    if ((response.statusCode ?? 0) >= 300)
      throw errorFrom(method, path, response.statusCode ?? 0, text);
    return (text ? JSON.parse(text) : {}) as T;
  }

  private async send(
    method: string,
    path: string,
    options: {
      query?: URLSearchParams;
      body?: unknown;
      contentType?: string;
      kind: string;
      signal?: AbortSignal;
    },
  ): Promise<IncomingMessage> {
    await this.limiter.take();
    const started = performance.now();
    const requestOptions: RequestOptions = { method, headers: {} };
    await this.kc.applyToHTTPSOptions(requestOptions);
    const url = new URL(this.server.toString());
    url.pathname = `${url.pathname.replace(/\/$/, "")}${path}`;
    if (options.query) url.search = options.query.toString();
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string | string[] | number | undefined> = {
      ...(requestOptions.headers as Record<string, string>),
      accept: "application/json",
      "user-agent": this.options.userAgent ?? "symbiont-operator",
    };
    if (payload !== undefined) {
      headers["content-type"] = options.contentType ?? "application/json";
      headers["content-length"] = Buffer.byteLength(payload);
    }
    const isHttps = url.protocol === "https:";
    this.agent ??= isHttps
      ? new HttpsAgent({
          keepAlive: true,
          maxSockets: 32,
          ca: requestOptions.ca,
          cert: requestOptions.cert,
          key: requestOptions.key,
          rejectUnauthorized: requestOptions.rejectUnauthorized,
          servername: requestOptions.servername,
        })
      : new HttpAgent({ keepAlive: true, maxSockets: 32 });
    const send = isHttps ? httpsRequest : httpRequest;
    const record = (status: number) =>
      this.options.onRequest?.({
        method: method === "GET" && url.searchParams.has("watch") ? "WATCH" : method,
        kind: options.kind,
        status,
        seconds: (performance.now() - started) / 1000,
      });
    return new Promise<IncomingMessage>((resolveResponse, reject) => {
      const req = send(
        url,
        { method, headers, agent: this.agent, auth: requestOptions.auth, signal: options.signal },
        (res) => {
          record(res.statusCode ?? 0);
          resolveResponse(res);
        },
      );
      req.on("error", (error) => {
        record(0);
        reject(
          options.signal?.aborted
            ? error
            : new KubeApiError(0, "ConnectionFailed", error.message, method, path),
        );
      });
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  private async errorOf(
    method: string,
    path: string,
    response: IncomingMessage,
  ): Promise<KubeApiError> {
    return errorFrom(method, path, response.statusCode ?? 0, await readBody(response));
  }

  close(): void {
    this.agent?.destroy();
  }
}

function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    let text = "";
    response.setEncoding("utf8");
    response.on("data", (chunk: string) => (text += chunk));
    response.on("end", () => resolveBody(text));
    response.on("error", reject);
  });
}

function errorFrom(method: string, path: string, status: number, text: string): KubeApiError {
  let reason = "Unknown";
  let message = text.slice(0, 2000);
  try {
    const body = JSON.parse(text) as { reason?: string; message?: string };
    reason = body.reason ?? reason;
    message = body.message ?? message;
  } catch {
    // not a Status object
  }
  return new KubeApiError(status, reason, message, method, path);
}

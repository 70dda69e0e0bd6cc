import { signAccessToken } from "@symbiont/files";
import { docxType, sampleDocx } from "../datasets/sample-documents.js";

// The demo's file storage scene: a partner sandbox, a contract uploaded twice (two
// versions), a search in Russian, and the other partner refused.

interface ScenarioOptions {
  filesUrl: string;
  tokenKey: string;
  log: (line: string) => void;
}

export async function runFilesScenario(opts: ScenarioOptions): Promise<void> {
  const { filesUrl, log } = opts;
  const manager = await signAccessToken({ kind: "internal", sub: "demo-manager" }, opts.tokenKey);
  const stranger = await signAccessToken(
    { kind: "partner", sub: "someone", partner: "globex" },
    opts.tokenKey,
  );
  const call = async (
    method: string,
    path: string,
    token: string,
    body?: string | Buffer,
    type?: string,
  ) => {
    const response = await fetch(`${filesUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(type ? { "content-type": type } : {}) },
      body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const sandbox = `partner-acme-${Date.now().toString(36)}`;
  const made = await call(
    "POST",
    "/sandboxes",
    manager,
    JSON.stringify({
      id: sandbox,
      kind: "partner",
      title: "Documents exchanged with Acme",
      grants: [{ principal: "partner:acme", rights: ["read", "write"] }],
    }),
    "application/json",
  );
  if (made.status !== 201) throw new Error(`files: sandbox not made: ${JSON.stringify(made.body)}`);
  let stored: Record<string, unknown> = {};
  for (const text of ["Договор поставки № 1, проект", "Договор поставки № 1, подписан"]) {
    const docx = await sampleDocx([text]);
    stored = (
      await call("PUT", `/sandboxes/${sandbox}/files/contract.docx`, manager, docx, docxType)
    ).body;
  }
  log(
    `Files: contract.docx in sandbox ${sandbox} at version ${String(stored.version)} (sha256 ${String(stored.sha256).slice(0, 12)}...)`,
  );
  const found = await call("GET", `/search?q=${encodeURIComponent("договоры подписаны")}`, manager);
  const hits = (found.body.hits as Array<{ path: string }>).map((h) => h.path);
  log(`Files: search "договоры подписаны" found ${hits.join(", ") || "nothing"}`);
  const refused = await call("GET", `/sandboxes/${sandbox}/files/contract.docx`, stranger);
  log(`Files: another partner asking for it gets ${refused.status}`);
}

import { z } from "zod";
import { grantSchema, linkSchema, sandboxIdSchema } from "../domain/sandbox.js";

/**
 * `document.generated` as files takes it (processes publishes it; its contract is in
 * docs/module-contract.md, "processes"): a document made by a process instance, content in
 * base64. It is stored at `path` in `sandbox` (default `process-<processInstanceId>`, made
 * as a process sandbox with `grants` when it does not exist yet), linked to the instance.
 */
export const documentGeneratedSchema = z.object({
  processInstanceId: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/),
  sandbox: sandboxIdSchema.optional(),
  path: z.string().min(1).max(1_024),
  contentType: z.string().min(1).max(200),
  contentBase64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, "expected base64"),
  title: z.string().min(1).max(200).optional(),
  links: z.array(linkSchema).max(20).default([]),
  grants: z.array(grantSchema).max(100).default([]),
});
export type DocumentGenerated = z.infer<typeof documentGeneratedSchema>;

/** The sandbox a process instance's documents go to when the event names none. */
export function processSandboxId(processInstanceId: string): string {
  const slug = processInstanceId
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return `process-${slug}`.slice(0, 63).replace(/-+$/, "");
}

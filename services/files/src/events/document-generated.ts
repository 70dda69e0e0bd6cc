import { z } from "zod";
import { linkSchema, sandboxIdSchema } from "../domain/sandbox.js";

/**
 * `document.generated` as files reads it. Processes owns the topic and its full contract
 * (docs/module-contract.md, "processes"); files reads only these fields and lets the others
 * pass, so processes may add fields without breaking it. The document goes to `path` in
 * `sandbox`, linked to what `link` names (the process instance), and is checked against
 * `sha256` when the event carries one.
 */
export const documentGeneratedSchema = z.looseObject({
  documentId: z.string().min(1).max(300),
  sandbox: sandboxIdSchema,
  path: z.string().min(1).max(1_024),
  title: z.string().max(300).optional(),
  contentType: z.string().min(1).max(200),
  contentBase64: z.base64(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  link: z.looseObject(linkSchema.shape),
});
export type DocumentGenerated = z.infer<typeof documentGeneratedSchema>;

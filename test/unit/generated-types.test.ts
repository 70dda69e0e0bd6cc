import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generateAll } from "../../scripts/generate-types.js";

describe("the TypeScript API types", () => {
  it(
    "when a CRD in crds/ changes, then operator/src/api must be regenerated (make generate)",
    { timeout: 60_000 },
    async () => {
      const generated = await generateAll();
      expect(generated.length).toBeGreaterThanOrEqual(2);
      for (const { file, source } of generated) {
        expect(readFileSync(file, "utf8"), `${file} is stale: run make generate`).toBe(source);
      }
    },
  );
});

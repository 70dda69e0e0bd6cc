import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../../dev/harness/tool-paths.js";

// `kubectl explain` must teach the user: every field of every Symbiont CRD has a description,
// and every kind follows the API's conventions (status subresource, printer columns).

interface Schema {
  description?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
}

interface Crd {
  spec: {
    names: { kind: string; shortNames?: string[] };
    scope: string;
    versions: {
      name: string;
      subresources?: { status?: object };
      additionalPrinterColumns?: { name: string; jsonPath: string; priority?: number }[];
      schema: { openAPIV3Schema: Schema };
    }[];
  };
}

const crds = readdirSync(join(repoRoot, "crds"))
  .filter((file) => file.endsWith(".yaml"))
  .map((file) => ({ file, crd: parse(readFileSync(join(repoRoot, "crds", file), "utf8")) as Crd }));

function undescribed(schema: Schema, path: string): string[] {
  const missing: string[] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const here = `${path}.${name}`;
    if (name !== "metadata" && !property.description?.trim()) missing.push(here);
    missing.push(...undescribed(property, here));
    if (property.items) missing.push(...undescribed(property.items, `${here}[]`));
  }
  return missing;
}

describe("the CRDs in crds/", () => {
  it("are the five kinds of the API", () => {
    expect(crds.map((c) => c.crd.spec.names.kind).sort()).toEqual([
      "BusRoute",
      "Ecosystem",
      "EcosystemModule",
      "PartnerIntegration",
      "Redelivery",
    ]);
  });

  it.each(crds)("$file: every field has a description", ({ crd }) => {
    for (const version of crd.spec.versions) {
      expect(undescribed(version.schema.openAPIV3Schema, crd.spec.names.kind)).toEqual([]);
    }
  });

  it.each(crds)(
    "$file: namespaced, a short name, a status subresource, READY, REASON and AGE columns, MESSAGE in -o wide",
    ({ crd }) => {
      expect(crd.spec.scope).toBe("Namespaced");
      expect(crd.spec.names.shortNames?.length).toBeGreaterThan(0);
      // `route` is OpenShift's Route: a second CRD with it makes `kubectl get route` ambiguous.
      expect(crd.spec.names.shortNames).not.toContain("route");
      for (const version of crd.spec.versions) {
        expect(version.subresources?.status).toBeDefined();
        const all = version.additionalPrinterColumns ?? [];
        const columns = all.filter((c) => !c.priority).map((c) => c.name);
        expect(columns).toContain("Ready");
        expect(columns).toContain("Reason");
        expect(columns.at(-1)).toBe("Age");
        expect(all.find((c) => c.name === "Message")).toMatchObject({
          priority: 1,
          jsonPath: '.status.conditions[?(@.type=="Ready")].message',
        });
      }
    },
  );
});

import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import {
  aggregatedRolesFile,
  crdTemplate,
  generatedChartFiles,
  rbacTemplateFile,
  repoRoot,
  staleCrdTemplates,
} from "../../hack/chart-sync.js";
import type { Permission } from "../../operator/src/rbac/permissions.js";

// The chart's CRDs and RBAC have one source each (crds/, operator/src/rbac/permissions.ts):
// `make chart` writes their templates. These tests fail when someone edits a source and
// forgets to regenerate, or edits a generated template by hand.

describe("the chart's generated templates", () => {
  it.each(generatedChartFiles().map((g) => [relative(repoRoot, g.file), g.source]))(
    "when its source changes, then %s must be regenerated with `make chart`",
    (file, source) => {
      let current = "";
      try {
        current = readFileSync(`${repoRoot}/${file}`, "utf8");
      } catch {
        current = "(missing)";
      }
      expect(current, `${file} is stale: run make chart`).toBe(source);
    },
  );

  it("when a CRD leaves crds/, then its template must leave the chart too", () => {
    expect(staleCrdTemplates().map((f) => relative(repoRoot, f))).toEqual([]);
  });
});

describe("the generator", () => {
  it("when a CRD contains template braces, then it refuses rather than let Helm misread them", () => {
    expect(() => crdTemplate(`${repoRoot}/test/unit/fixtures/crd-with-braces.yaml`)).toThrow(
      /would read as a template/,
    );
  });

  it("when a permission uses a wildcard, then it refuses", () => {
    const permissions: Permission[] = [
      { apiGroup: "", resources: ["*"], verbs: ["get"], why: "everything" },
      {
        apiGroup: "coordination.k8s.io",
        resources: ["leases"],
        verbs: ["get"],
        releaseNamespace: true,
        why: "leases",
      },
    ];
    expect(() => rbacTemplateFile(permissions)).toThrow(/wildcard/);
  });

  it("when leases are no longer a permission of their own, then it asks for the scoping to be revisited", () => {
    const permissions: Permission[] = [
      { apiGroup: "apps", resources: ["deployments"], verbs: ["get"], why: "deployments" },
    ];
    expect(() => rbacTemplateFile(permissions)).toThrow(/releaseNamespaceOnly/);
  });

  it("when a kind has the scale subresource, then view may read its scale and edit may scale it", () => {
    const { source } = aggregatedRolesFile([
      { group: "symbiont.dev", plural: "ecosystemmodules", scale: true },
      { group: "symbiont.dev", plural: "busroutes", scale: false },
    ]);
    const body = source.split("\n").filter((line) => !line.includes("{{"));
    const [view, edit] = parseAllDocuments(body.join("\n")).map(
      (doc) => doc.toJSON() as { rules: { resources: string[]; verbs: string[] }[] },
    );
    const verbsOn = (role: typeof view, resource: string) =>
      role!.rules.filter((r) => r.resources.includes(resource)).flatMap((r) => r.verbs);
    expect(verbsOn(view, "ecosystemmodules/scale")).toEqual(["get"]);
    expect(verbsOn(edit, "ecosystemmodules/scale")).toEqual(["update", "patch"]);
    expect(verbsOn(view, "busroutes/scale")).toEqual([]);
    expect(verbsOn(view, "busroutes/status")).toEqual(["get", "list", "watch"]);
    expect(verbsOn(edit, "busroutes/status")).toEqual([]);
    expect(verbsOn(edit, "busgateways/replay")).toEqual(["create"]);
  });
});

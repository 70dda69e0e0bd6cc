import { describe, expect, it } from "vitest";
import { OperatorMetrics, operatorBuild } from "./operator-metrics.js";

const object = (name: string, ready?: string) => ({
  metadata: { name, namespace: "shop" },
  status: ready ? { conditions: [{ type: "Ready", status: ready }] } : undefined,
});

describe("OperatorMetrics", () => {
  it("when objects are Ready or not, then symbiont_object_ready says 1 or 0 for each, and a deleted one leaves", async () => {
    const metrics = new OperatorMetrics({ version: "1.2.3", revision: "abc" });
    let modules = [object("crm", "True"), object("site", "False"), object("mdm")];
    metrics.readiness.collect("EcosystemModule", () => modules);
    const first = await metrics.registry.getSingleMetricAsString("symbiont_object_ready");
    expect(first).toContain(
      'symbiont_object_ready{kind="EcosystemModule",object_namespace="shop",object_name="crm"} 1',
    );
    expect(first).toContain(
      'symbiont_object_ready{kind="EcosystemModule",object_namespace="shop",object_name="site"} 0',
    );
    expect(first).toContain(
      'symbiont_object_ready{kind="EcosystemModule",object_namespace="shop",object_name="mdm"} 0',
    );
    modules = [object("crm", "True")];
    const second = await metrics.registry.getSingleMetricAsString("symbiont_object_ready");
    expect(second).not.toContain('object_name="site"');
  });

  it("then symbiont_build_info names the version, the revision and Node.js", async () => {
    const metrics = new OperatorMetrics({ version: "1.2.3", revision: "abc" });
    expect(await metrics.registry.getSingleMetricAsString("symbiont_build_info")).toContain(
      `symbiont_build_info{version="1.2.3",revision="abc",node_version="${process.version}"} 1`,
    );
  });

  it("when no revision is set, then the build is the operator package's version", () => {
    expect(operatorBuild({})).toEqual({ version: "0.1.0", revision: "unknown" });
    expect(operatorBuild({ SYMBIONT_REVISION: "f00d" }).revision).toBe("f00d");
  });
});

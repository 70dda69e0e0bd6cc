import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  gatewayAdminActions,
  gatewayAdminGroup,
  gatewayAdminResource,
  gatewayName,
} from "@symbiont/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { parseDocument } from "yaml";
import { KubeClient } from "../../operator/src/kube/kube-client.js";
import type { KubeObject } from "../../operator/src/kube/kube-object.js";
import { readManifests } from "../../dev/harness/apply-manifests.js";
import { repoRoot } from "../../dev/harness/tool-paths.js";
import { chartPath, mustRun, runTool, type Rendered } from "../support/chart.js";
import { createTestNamespace, eventually, testKubeConfig } from "../support/kube.js";
import {
  metricValue,
  startOperatorProcess,
  type OperatorProcess,
} from "../../dev/stack/operator-process.js";

// The chart on the real control plane, in the order a platform engineer lives it:
// helm install -> the operator (with exactly the chart's RBAC) reconciles the samples ->
// helm upgrade to a chart with a new CRD field -> helm uninstall keeps CRDs and objects.
//
// The CRDs: the suite's global setup already applied crds/ (kubectl-style, without Helm), as
// a cluster does where someone applied them by hand before adopting the chart. Helm refuses
// to take over objects that another release or no release owns, unless they carry its
// ownership label and annotations; the README documents that adoption, and this test does
// the same, so `helm install` with the default crds.install=true really installs, upgrades
// and keeps the CRDs of the cluster.
//
// The operator: kwok runs the chart's Deployment pods without running their image, so the
// operator process runs here (as `make run` does) with a kubeconfig holding a token of the
// chart's ServiceAccount: every request it makes is authorised by the chart's RBAC alone.

const kc = testKubeConfig();
const client = new KubeClient(kc);
const kubeconfig = inject("kubeconfigPath");
const env = { KUBECONFIG: kubeconfig };
const helm = (...args: string[]) => mustRun("helm", args, env);
const kubectl = (...args: string[]) => mustRun("kubectl", args, env);

const release = `symbiont-${randomBytes(3).toString("hex")}`;
const crdNames = readManifests(join(repoRoot, "crds")).map((crd) => crd.metadata.name);
const samples = readManifests(join(repoRoot, "samples"));
const symbiontSamples = samples.filter((o) => o.apiVersion.startsWith("symbiont.dev/"));
let releaseNs: string;
let appNs: string;
let operator: OperatorProcess | undefined;
let installed = false;
const workDir = mkdtempSync(join(tmpdir(), "symbiont-chart-"));

type Obj = KubeObject & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const getObject = (o: KubeObject) =>
  client.get<Obj>({
    apiVersion: o.apiVersion,
    kind: o.kind,
    namespace: appNs,
    name: o.metadata.name,
  });
const readyOf = (o: Obj | undefined) =>
  o?.status?.conditions?.find((c: { type: string }) => c.type === "Ready")?.status;
const uidsOf = async () =>
  Object.fromEntries(
    await Promise.all(
      symbiontSamples.map(async (o) => [
        `${o.kind}/${o.metadata.name}`,
        (await getObject(o))?.metadata.uid,
      ]),
    ),
  );
const serviceAccount = () => `system:serviceaccount:${releaseNs}:${release}`;

beforeAll(async () => {
  releaseNs = await createTestNamespace(kc, "symbiont-system");
  appNs = await createTestNamespace(kc, "acme");
  for (const name of crdNames) {
    await kubectl("label", "crd", name, "app.kubernetes.io/managed-by=Helm", "--overwrite");
    await kubectl(
      "annotate",
      "crd",
      name,
      `meta.helm.sh/release-name=${release}`,
      `meta.helm.sh/release-namespace=${releaseNs}`,
      "--overwrite",
    );
  }
});

afterAll(async () => {
  await operator?.stop();
  if (installed) await runTool("helm", ["uninstall", release, "-n", releaseNs, "--wait"], env);
  client.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe("the chart on a cluster", () => {
  it("when installed, then the CRDs are Established and kept, and the operator's pods Run", async () => {
    const output = await helm(
      "install",
      release,
      chartPath,
      "-n",
      releaseNs,
      "--wait",
      "--timeout",
      "3m",
    );
    installed = true;
    // NOTES.txt: what to apply next and how to check.
    expect(output).toContain("kubectl apply");
    expect(output).toContain("kubectl get eco,emod,partner,busroute");
    expect(output).toContain("kubectl describe eco");

    const pods = await eventually(
      async () =>
        JSON.parse(
          await kubectl(
            "get",
            "pods",
            "-n",
            releaseNs,
            "-l",
            `app.kubernetes.io/instance=${release}`,
            "-o",
            "json",
          ),
        ).items as Rendered[],
      (items) => items.length === 2 && items.every((p) => p.status?.phase === "Running"),
      { what: "2 Running operator pods" },
    );
    expect(pods[0]!.spec.serviceAccountName).toBe(release);

    for (const name of crdNames) {
      const crd = JSON.parse(await kubectl("get", "crd", name, "-o", "json")) as Rendered;
      expect(crd.metadata.annotations).toMatchObject({
        "helm.sh/resource-policy": "keep",
        "meta.helm.sh/release-name": release,
      });
      expect(crd.status.conditions).toContainEqual(
        expect.objectContaining({ type: "Established", status: "True" }),
      );
    }
  });

  it("then its ServiceAccount may do what the operator needs, and nothing else", async () => {
    const canI = async (...args: string[]) => {
      const result = await runTool(
        "kubectl",
        ["auth", "can-i", ...args, "--as", serviceAccount()],
        env,
      );
      return result.stdout.trim();
    };
    // What the operator does.
    expect(await canI("create", "deployments.apps", "-n", appNs)).toBe("yes");
    expect(
      await canI("patch", "ecosystems.symbiont.dev", "--subresource=status", "-n", appNs),
    ).toBe("yes");
    expect(await canI("watch", "ecosystemmodules.symbiont.dev", "--all-namespaces")).toBe("yes");
    expect(await canI("update", "leases.coordination.k8s.io", "-n", releaseNs)).toBe("yes");
    // What it never does.
    expect(await canI("get", "secrets", "-n", appNs)).toBe("no");
    expect(await canI("list", "secrets", "--all-namespaces")).toBe("no");
    expect(await canI("delete", "ecosystems.symbiont.dev", "-n", appNs)).toBe("no");
    expect(await canI("update", "ecosystemmodules.symbiont.dev", "-n", appNs)).toBe("no");
    expect(await canI("create", "pods", "-n", appNs)).toBe("no");
    expect(await canI("delete", "customresourcedefinitions.apiextensions.k8s.io")).toBe("no");
    // A Lease in an application namespace it may only write as it grants it to a bus gateway
    // (a Role grants only what its author holds); it never lists or deletes them.
    expect(await canI("update", "leases.coordination.k8s.io", "-n", appNs)).toBe("yes");
    expect(await canI("list", "leases.coordination.k8s.io", "-n", appNs)).toBe("no");
    expect(await canI("delete", "leases.coordination.k8s.io", "-n", appNs)).toBe("no");
    expect(await canI("list", "events", "-n", appNs)).toBe("no");
  });

  it("when a person has Kubernetes' built-in edit or view role in a namespace, then they may manage or only read Symbiont's objects there", async () => {
    await kubectl(
      "create",
      "rolebinding",
      "editor",
      "--clusterrole=edit",
      "--user=erin",
      "-n",
      appNs,
    );
    await kubectl(
      "create",
      "rolebinding",
      "viewer",
      "--clusterrole=view",
      "--user=vic",
      "-n",
      appNs,
    );
    const canI = async (user: string, ...args: string[]) =>
      (
        await runTool("kubectl", ["auth", "can-i", "--as", user, "-n", appNs, ...args], env)
      ).stdout.trim();
    // kube-controller-manager folds the chart's ClusterRoles into edit and view.
    await eventually(
      () => canI("erin", "create", "ecosystemmodules.symbiont.dev"),
      (answer) => answer === "yes",
      { what: "the edit role aggregating Symbiont's kinds" },
    );
    for (const resource of crdNames) {
      // <plural>.<group>, as kubectl names a resource
      expect(await canI("erin", "delete", resource), `erin delete ${resource}`).toBe("yes");
      expect(await canI("vic", "list", resource), `vic list ${resource}`).toBe("yes");
      expect(await canI("vic", "create", resource), `vic create ${resource}`).toBe("no");
    }
    expect(
      await canI("erin", "create", "ecosystemmodules.symbiont.dev", "--subresource=status"),
    ).toBe("no");
    expect(await canI("vic", "get", "ecosystems.symbiont.dev", "--subresource=status")).toBe("yes");
    expect(await canI("erin", "list", "ecosystems.symbiont.dev", "-n", releaseNs)).toBe("no");
    // Dead letters: the gateway's own SubjectAccessReview, as docs/gateway-config.md shows it.
    const mayReplay = async (user: string) => {
      const review = join(workDir, `review-${user}.yaml`);
      writeFileSync(
        review,
        JSON.stringify({
          apiVersion: "authorization.k8s.io/v1",
          kind: "SubjectAccessReview",
          spec: {
            user,
            resourceAttributes: {
              group: gatewayAdminGroup,
              resource: gatewayAdminResource,
              subresource: gatewayAdminActions.replay.subresource,
              verb: gatewayAdminActions.replay.verb,
              namespace: appNs,
              name: gatewayName("acme"),
            },
          },
        }),
      );
      return kubectl("create", "-f", review, "-o", "jsonpath={.status.allowed}");
    };
    expect(await mayReplay("erin")).toBe("true");
    expect(await mayReplay("vic")).toBe("false");
  });

  it("when the operator runs with the chart's ServiceAccount token and the samples are applied, then every object is accepted and becomes Ready, and no request is refused", async () => {
    // A token of the chart's ServiceAccount, from the TokenRequest API.
    const token = (
      await kubectl("create", "token", release, "-n", releaseNs, "--duration", "1h")
    ).trim();
    const cluster = kc.getCurrentCluster()!;
    const saKubeconfig = join(workDir, "operator.kubeconfig");
    writeFileSync(
      saKubeconfig,
      JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [
          {
            name: "c",
            cluster: { server: cluster.server, "certificate-authority": cluster.caFile },
          },
        ],
        users: [{ name: "operator", user: { token } }],
        contexts: [
          { name: "c", context: { cluster: "c", user: "operator", namespace: releaseNs } },
        ],
        "current-context": "c",
      }),
      { mode: 0o600 },
    );
    expect(
      await mustRun("kubectl", ["auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"], {
        KUBECONFIG: saKubeconfig,
      }),
    ).toBe(serviceAccount());
    operator = await startOperatorProcess({
      kubeconfigPath: saKubeconfig,
      namespace: appNs,
      dir: join(inject("controlPlaneDir"), `operator-${release}`),
      // The lease where the chart's Role allows it: the release namespace.
      env: { SYMBIONT_LEASE_NAMESPACE: releaseNs },
    });

    // What a new user runs first: every object is validated by the API server and accepted.
    const applied = await kubectl("apply", "-n", appNs, "-f", join(repoRoot, "samples"));
    const lines = applied.trim().split("\n");
    expect(lines).toHaveLength(samples.length);
    for (const line of lines) expect(line).toMatch(/ created$/);

    for (const object of symbiontSamples) {
      await eventually(
        () => getObject(object),
        (o) => readyOf(o) === "True",
        {
          what: `${object.kind} ${object.metadata.name} Ready`,
          timeoutMs: 120_000,
        },
      );
    }
    const table = await kubectl("get", "eco,emod,partner,busroute", "-n", appNs);
    for (const object of symbiontSamples) {
      const row = table
        .split("\n")
        .find((l) => l.split(/\s+/)[0]!.endsWith(`/${object.metadata.name}`));
      expect(row, `kubectl get shows ${object.kind} ${object.metadata.name}`).toBeDefined();
      expect(row!.split(/\s+/), `${object.kind} ${object.metadata.name} READY column`).toContain(
        "True",
      );
    }

    const metrics = await operator.metrics();
    expect(metricValue(metrics, "symbiont_leader")).toBe(1);
    const refused = metrics
      .split("\n")
      .filter((l) => /^symbiont_kube_requests_total\{.*code="40[13]"/.test(l));
    expect(refused, "requests the chart's RBAC refused").toEqual([]);
    const lease = JSON.parse(
      await kubectl("get", "lease", "symbiont-operator", "-n", releaseNs, "-o", "json"),
    );
    expect(lease.spec.holderIdentity).toBe(operator.name);
  });

  it("when the samples are checked with a server-side dry run, then the API server accepts every object", async () => {
    const result = await runTool(
      "kubectl",
      ["apply", "--dry-run=server", "-n", appNs, "-f", join(repoRoot, "samples")],
      env,
    );
    expect(result.stderr).toBe("");
    expect(result.stdout.trim().split("\n")).toHaveLength(samples.length);
  });

  it("when upgraded to a chart whose CRD has a new optional field, then the API serves the new schema and existing objects stay", async () => {
    const moduleSample = symbiontSamples.find((o) => o.kind === "EcosystemModule")!;
    const patchOwner = () =>
      runTool(
        "kubectl",
        [
          "patch",
          "emod",
          moduleSample.metadata.name,
          "-n",
          appNs,
          "--type=merge",
          "-p",
          '{"spec":{"owner":"team-catalog"}}',
        ],
        env,
      );
    // Before: the API server does not know the field; it warns and drops it.
    const before = await patchOwner();
    expect(before.stderr).toContain('unknown field "spec.owner"');
    expect((await getObject(moduleSample))?.spec.owner).toBeUndefined();
    const uids = await uidsOf();

    const nextChart = join(workDir, "symbiont-next");
    cpSync(chartPath, nextChart, { recursive: true });
    addOptionalModuleField(nextChart, "owner", "The team that owns the module.");
    writeFileSync(
      join(nextChart, "Chart.yaml"),
      readFileSync(join(nextChart, "Chart.yaml"), "utf8").replace(
        /^version: .*$/m,
        "version: 0.2.0-next",
      ),
    );
    await helm("upgrade", release, nextChart, "-n", releaseNs, "--wait", "--timeout", "3m");

    const explained = await eventually(
      () => runTool("kubectl", ["explain", "emod.spec.owner"], env),
      (r) => r.code === 0,
      { what: "kubectl explain emod.spec.owner" },
    );
    expect(explained.stdout).toContain("The team that owns the module.");
    const after = await patchOwner();
    expect(after.stderr).toBe("");
    expect((await getObject(moduleSample))?.spec.owner).toBe("team-catalog");
    expect(await uidsOf()).toEqual(uids);
    for (const object of symbiontSamples) expect(readyOf(await getObject(object))).toBe("True");

    // Back to this repository's chart (a rollback): the CRD is the one of crds/ again.
    await kubectl(
      "patch",
      "emod",
      moduleSample.metadata.name,
      "-n",
      appNs,
      "--type=merge",
      "-p",
      '{"spec":{"owner":null}}',
    );
    await helm("upgrade", release, chartPath, "-n", releaseNs, "--wait", "--timeout", "3m");
    const crd = JSON.parse(
      await kubectl("get", "crd", "ecosystemmodules.symbiont.dev", "-o", "json"),
    );
    expect(
      crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.owner,
    ).toBeUndefined();
  });

  it("when uninstalled, then the operator goes and the CRDs and every user object stay", async () => {
    const uids = await uidsOf();
    await operator?.stop();
    operator = undefined;
    const output = await helm("uninstall", release, "-n", releaseNs, "--wait");
    installed = false;
    expect(output).toContain("kept due to the resource policy");

    for (const name of crdNames) await kubectl("get", "crd", name);
    expect(await uidsOf()).toEqual(uids);
    // The modules' workloads keep running without the operator.
    const deployments = await kubectl("get", "deployments", "-n", appNs, "-o", "name");
    expect(deployments).toContain(
      `deployment.apps/${symbiontSamples.find((o) => o.kind === "EcosystemModule")!.metadata.name}`,
    );
    // The operator's own objects are gone.
    for (const [kind, namespace] of [
      ["deployment", releaseNs],
      ["serviceaccount", releaseNs],
      ["clusterrole", ""],
      ["clusterrolebinding", ""],
    ] as const) {
      const result = await runTool(
        "kubectl",
        ["get", kind, release, ...(namespace ? ["-n", namespace] : [])],
        env,
      );
      expect(result.stderr, `${kind} ${release} deleted`).toContain("NotFound");
    }
  });
});

/** Adds an optional string field to EcosystemModule's spec in a copy of the chart. */
function addOptionalModuleField(chart: string, field: string, description: string): void {
  const file = join(chart, "templates", "crds", "ecosystemmodules.symbiont.dev.yaml");
  const lines = readFileSync(file, "utf8").trimEnd().split("\n");
  // The generated template is "{{- /* ... */ -}}", "{{- if ... }}", the CRD, "{{- end }}".
  const [comment, open] = lines;
  const close = lines.at(-1);
  const doc = parseDocument(lines.slice(2, -1).join("\n"));
  doc.setIn(
    ["spec", "versions", 0, "schema", "openAPIV3Schema", "properties", "spec", "properties", field],
    doc.createNode({ type: "string", description }),
  );
  writeFileSync(
    file,
    [comment, open, doc.toString({ lineWidth: 0 }).trimEnd(), close, ""].join("\n"),
  );
}

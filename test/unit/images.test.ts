import { execFile } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../dev/harness/tool-paths.js";

// The images cannot be built here (no Docker engine): these tests check what can be checked
// without one — every deployable package has a Dockerfile that builds that package from the
// workspace and runs it as a non-root user — and that the Docker targets stop at once with a
// message instead of failing half-way.

interface WorkspacePackage {
  dir: string;
  name: string;
  deployable: boolean;
  workspaceDeps: string[];
}

const packages: WorkspacePackage[] = [
  "operator",
  ...readdirSync(join(repoRoot, "packages")).map((d) => `packages/${d}`),
  ...readdirSync(join(repoRoot, "services")).map((d) => `services/${d}`),
]
  .filter((dir) => existsSync(join(repoRoot, dir, "package.json")))
  .map((dir) => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, dir, "package.json"), "utf8"));
    return {
      dir,
      name: manifest.name,
      deployable:
        Boolean(manifest.scripts?.start) && existsSync(join(repoRoot, dir, "src", "main.ts")),
      workspaceDeps: Object.keys(manifest.dependencies ?? {}).filter((d) =>
        d.startsWith("@symbiont/"),
      ),
    };
  });
const dirOf = (name: string) => packages.find((p) => p.name === name)!.dir;
const deployable = packages.filter((p) => p.deployable);
/** Workspace libraries a package uses, also through another library (kit -> contracts). */
const libraries = (p: WorkspacePackage): string[] => {
  const found = new Set<string>();
  const visit = (names: string[]) => {
    for (const name of names.filter((n) => !found.has(n))) {
      found.add(name);
      visit(packages.find((q) => q.name === name)!.workspaceDeps);
    }
  };
  visit(p.workspaceDeps);
  return [...found];
};

describe("the Dockerfiles", () => {
  it("when a package has a main.ts and a start script, then it has a Dockerfile", () => {
    expect(deployable.map((p) => p.dir)).toContain("operator");
    for (const p of deployable)
      expect(existsSync(join(repoRoot, p.dir, "Dockerfile")), p.dir).toBe(true);
  });

  it.each(deployable.map((p) => [p.dir, p]))(
    "when %s is built, then it compiles that package and the workspace libraries it uses, and runs dist/main.js as a non-root user",
    (_dir, p) => {
      const dockerfile = readFileSync(join(repoRoot, p.dir, "Dockerfile"), "utf8");
      const lines = dockerfile.split("\n").filter((l) => l.trim() && !l.startsWith("#"));
      // Multi-stage, from one pinned base image.
      const froms = lines.filter((l) => l.startsWith("FROM"));
      expect(froms.length).toBeGreaterThanOrEqual(2);
      expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:\d+\.\d+\.\d+-[a-z]+-slim$/m);
      // Builds this package and every workspace library it depends on.
      const build = lines.find((l) => l.startsWith("RUN npm run build"))!;
      for (const name of [...libraries(p), p.name]) expect(build).toContain(`-w ${name}`);
      for (const name of libraries(p))
        expect(dockerfile).toContain(`COPY --from=build /src/${dirOf(name)}/dist`);
      // Production dependencies only in the runtime.
      expect(dockerfile).toContain(`npm ci --omit=dev --no-audit --no-fund -w ${p.name}`);
      // Every path it copies from the build context exists.
      for (const line of lines.filter((l) => l.startsWith("COPY ") && !l.includes("--from="))) {
        const sources = line.split(/\s+/).slice(1, -1);
        for (const source of sources)
          expect(existsSync(join(repoRoot, source)), `${p.dir}: ${line}`).toBe(true);
      }
      // The last stage runs the compiled entry point as a numeric non-root user.
      const finalStage = lines.slice(lines.lastIndexOf(froms.at(-1)!));
      expect(finalStage).toContain("USER 65532:65532");
      expect(finalStage.at(-1)).toBe('CMD ["node", "dist/main.js"]');
      expect(finalStage).toContain(`WORKDIR /app/${p.dir}`);
    },
  );
});

describe("the targets that need Docker", () => {
  const runMake = (target: string) =>
    new Promise<{ code: number; output: string }>((resolveRun) => {
      // A socket nobody listens on: the same answer as a machine without a Docker engine.
      const env = { ...process.env, DOCKER_HOST: "unix:///nonexistent/docker.sock" };
      execFile(
        "make",
        ["--no-print-directory", target],
        { cwd: repoRoot, env },
        (error, stdout, stderr) => {
          resolveRun({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr });
        },
      );
    });

  it.each(["images", "e2e-kind"])(
    "when no Docker engine answers, then make %s stops at once and says it cannot run here",
    async (target) => {
      const { code, output } = await runMake(target);
      expect(code).not.toBe(0);
      expect(output).toContain(`make ${target} needs a Docker engine`);
      expect(output).toContain("It cannot run on this machine");
      // It stopped before building anything.
      expect(output).not.toContain("docker build");
      expect(output).not.toContain("tools/build.sh");
    },
  );
});

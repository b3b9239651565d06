import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { appHttpPort } from "../../app/src/contract/runtimeConfig";
import { repoRoot } from "../support/cli";

interface Stage {
  readonly from: string;
  readonly instructions: readonly string[];
}

/** The Dockerfile's stages, each with its FROM line and its instructions (continuations joined). */
function stages(dockerfile: string): Stage[] {
  const lines = dockerfile
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const result: { from: string; instructions: string[] }[] = [];
  for (const line of lines) {
    if (/^FROM\s/i.test(line)) result.push({ from: line, instructions: [] });
    else result.at(-1)?.instructions.push(line);
  }
  return result;
}

const dockerfile = readFileSync(join(repoRoot, "app/Dockerfile"), "utf8");
const runs = (stage: Stage) => stage.instructions.filter((i) => /^RUN\s/i.test(i));

test("every stage that runs a command runs on the build machine's platform; the runtime stage runs none", () => {
  const all = stages(dockerfile);
  assert.ok(all.length >= 3, "build, prod-deps and runtime stages");
  for (const stage of all.slice(0, -1)) {
    if (runs(stage).length > 0) assert.match(stage.from, /--platform=\$BUILDPLATFORM\b/, stage.from);
  }
  const runtime = all.at(-1) as Stage;
  assert.doesNotMatch(runtime.from, /--platform/, "the runtime stage is the target platform's image");
  assert.deepEqual(runs(runtime), [], "a RUN in the target stage would need an emulator on an x86 runner");
});

test("the runtime stage exposes the port the app's contract listens on, and only that one", () => {
  const runtime = stages(dockerfile).at(-1) as Stage;
  assert.deepEqual(
    runtime.instructions.filter((i) => /^EXPOSE\s/i.test(i)),
    [`EXPOSE ${appHttpPort}`],
  );
});

test("production dependencies are installed for the target's OS, CPU and libc, with no install scripts", () => {
  const prodDeps = stages(dockerfile).find((s) => /\bAS\s+prod-deps\b/i.test(s.from));
  assert.ok(prodDeps, "a prod-deps stage");
  assert.ok(prodDeps.instructions.includes("ARG TARGETOS"));
  assert.ok(prodDeps.instructions.includes("ARG TARGETARCH"));
  const [install] = runs(prodDeps);
  assert.match(install ?? "", /npm ci .*--omit=dev/);
  assert.match(install ?? "", /--ignore-scripts/);
  assert.match(install ?? "", /--os="\$\{TARGETOS\}"/);
  assert.match(install ?? "", /amd64\) cpu=x64/);
  assert.match(install ?? "", /arm64\) cpu=arm64/);
  assert.match(install ?? "", /--cpu="\$\{cpu\}"/);
  assert.match(install ?? "", /--libc=glibc/);
});

interface LockEntry {
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly hasInstallScript?: boolean;
  readonly gypfile?: boolean;
  readonly optional?: boolean;
  readonly dev?: boolean;
  readonly os?: string[];
  readonly cpu?: string[];
  readonly libc?: string[];
}

const packages = (
  JSON.parse(readFileSync(join(repoRoot, "package-lock.json"), "utf8")) as {
    packages: Record<string, LockEntry>;
  }
).packages;

/** Where npm finds `name` from the package at `from`: its own node_modules, then each parent's. */
function resolveFrom(from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ""}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const parent = base.lastIndexOf("/node_modules/");
    base = parent < 0 ? "" : base.slice(0, parent);
  }
}

/** The lockfile paths of the app's production dependency tree, optional ones included. */
function appProductionTree(): Set<string> {
  const seen = new Set<string>();
  const visit = (path: string) => {
    const entry = packages[path] ?? {};
    for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
      const found = resolveFrom(path, name);
      if (found && !seen.has(found)) {
        seen.add(found);
        visit(found);
      }
    }
  };
  visit("app");
  return seen;
}

test("the app compiles no native addon, and its prebuilt platform packages cover linux arm64 and x64", () => {
  const tree = appProductionTree();
  assert.ok(tree.size > 50, `only ${tree.size} packages found: is the lockfile walk broken?`);
  // protobufjs 7 (under @grpc/proto-loader) has a postinstall that only prints a warning about its
  // dependents' version ranges (scripts/postinstall.js); it builds nothing, so skipping it is safe.
  const scriptsThatBuildNothing = new Set(["node_modules/protobufjs"]);
  const built = [...tree].filter(
    (p) => (packages[p]?.hasInstallScript || packages[p]?.gypfile) && !scriptsThatBuildNothing.has(p),
  );
  assert.deepEqual(
    built,
    [],
    "an install-time build would be skipped by --ignore-scripts or built for the wrong CPU",
  );

  const platformSpecific = [...tree].filter((p) => packages[p]?.os || packages[p]?.cpu);
  assert.ok(platformSpecific.length > 0, "the lockfile walk reaches @node-rs/crc32's prebuilt packages");
  for (const path of platformSpecific)
    assert.equal(packages[path]?.optional, true, `${path} must be optional`);
  const linuxGlibc = (cpu: string) =>
    platformSpecific.filter((p) => {
      const e = packages[p] as LockEntry;
      return e.os?.includes("linux") && e.cpu?.includes(cpu) && (e.libc ?? ["glibc"]).includes("glibc");
    });
  assert.ok(linuxGlibc("arm64").length > 0, "a prebuilt for the arm64 (Graviton) nodes");
  assert.ok(linuxGlibc("x64").length > 0, "a prebuilt for x86_64 nodes");
});

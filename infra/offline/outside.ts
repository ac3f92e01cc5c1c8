/**
 * Previewing a program that is not Meridian (`--cwd`): where its Pulumi SDKs come from, which policy
 * config applies to it, and whether it was type-checked.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import Module from "node:module";
import * as path from "node:path";
import { ProjectError, ProjectInfo } from "./project";

const repoRoot = path.resolve(__dirname, "..", "..");

function resolvable(name: string, dir: string): boolean {
  try {
    require.resolve(`${name}/package.json`, { paths: [dir] });
    return true;
  } catch {
    return false;
  }
}

/** The `@pulumi/*` packages the program's package.json depends on (at least @pulumi/pulumi). */
export function pulumiDependencies(dir: string): string[] {
  const names = new Set(["@pulumi/pulumi"]);
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    for (const n of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }))
      if (n.startsWith("@pulumi/")) names.add(n);
  } catch {
    // No or unreadable package.json: the project loader reports a broken one.
  }
  return [...names].sort();
}

/**
 * Makes the program's `@pulumi/*` imports resolvable. A project with its own install keeps it; one without
 * (`npm install` not run) gets Meridian's install through NODE_PATH (CommonJS only), with a note saying so.
 * Throws a ProjectError saying what to run when neither has what the program needs.
 */
export function provideSdks(project: ProjectInfo, root = repoRoot): string | undefined {
  const wanted = pulumiDependencies(project.dir);
  const missing = wanted.filter((n) => !resolvable(n, project.dir));
  if (missing.length === 0) return undefined;
  const install = `run \`npm install\` in ${project.dir}`;
  const fromRoot = missing.filter((n) => resolvable(n, root));
  if (fromRoot.length !== missing.length) {
    const absent = missing.filter((n) => !fromRoot.includes(n));
    throw new ProjectError(
      `${project.dir} cannot load ${absent.join(", ")}: the project has no install of it and Meridian's has none either; ${install}`,
    );
  }
  if (project.moduleType === "module")
    throw new ProjectError(
      `${project.dir} cannot load ${missing.join(", ")} (no node_modules); an ES module program cannot borrow Meridian's install: ${install}`,
    );
  const nodeModules = path.join(root, "node_modules");
  process.env.NODE_PATH = [nodeModules, ...(process.env.NODE_PATH ?? "").split(path.delimiter)]
    .filter(Boolean)
    .join(path.delimiter);
  (Module as unknown as { _initPaths(): void })._initPaths();
  return `${missing.join(", ")} came from Meridian's install (${nodeModules}): ${project.dir} has none; ${install} to preview with the project's own versions`;
}

/**
 * The pack's config for this preview: the file passed explicitly, else `<pack>/config/<stack>.json` only
 * when the pack belongs to the previewed project (lies inside its directory): another project's waivers
 * and levels never apply silently.
 */
export function selectPolicyConfig(
  packDir: string,
  projectDir: string,
  stack: string,
  explicit?: string,
  from = process.cwd(),
): { file?: string; note?: string } {
  if (explicit) return { file: explicit };
  const candidate = path.join(packDir, "config", `${stack}.json`);
  if (!fs.existsSync(candidate)) return {};
  const rel = path.relative(projectDir, packDir);
  if (rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel))) return { file: candidate };
  return {
    note: `the pack's ${path.relative(from, candidate)} was not applied: it belongs to the pack's project, not to the previewed one (pass --policy-config to apply it); the pack ran with its defaults`,
  };
}

/** The program is TypeScript (what the Node.js host type-checks with ts-node by default). */
export function isTypeScript(project: ProjectInfo): boolean {
  return /\.[mc]?ts$/.test(project.main);
}

export const NOT_TYPECHECKED =
  "the program was not type-checked (only transpiled); `pulumi preview` type-checks TypeScript by default and fails on a type error: run with --typecheck (or `npx tsc --noEmit` in the project)";

/**
 * `tsc --noEmit` with the project's tsconfig.json (or the program's entry with the compiler options the
 * Pulumi Node.js host gives ts-node by default: not strict, commonjs), using the project's `typescript`,
 * else Meridian's. When the project has no SDKs of its own and the preview borrowed Meridian's, the type
 * check sees the same ones (a generated tsconfig in a temp dir maps `@pulumi/*` and `@types` to them).
 * Returns the compiler's errors, or undefined when clean.
 */
export function typecheck(project: ProjectInfo, root = repoRoot): string | undefined {
  let tsc: string;
  try {
    tsc = require.resolve("typescript/bin/tsc", { paths: [project.dir, root] });
  } catch {
    throw new ProjectError(
      `--typecheck needs the typescript package: run \`npm install --save-dev typescript\` in ${project.dir}`,
    );
  }
  const own = path.join(project.dir, "tsconfig.json");
  const modules = path.join(root, "node_modules");
  // The project's own node_modules (up its directory tree), not NODE_PATH, which the preview may have set.
  let borrowed = true;
  for (let dir = project.dir; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "node_modules", "@pulumi", "pulumi", "package.json"))) borrowed = false;
    if (!borrowed || path.dirname(dir) === dir) break;
  }
  const compilerOptions: Record<string, unknown> = fs.existsSync(own)
    ? {}
    : {
        target: "es2020",
        module: "commonjs",
        moduleResolution: "node",
        esModuleInterop: true,
        skipLibCheck: true,
      };
  if (borrowed) {
    compilerOptions.baseUrl = project.dir;
    compilerOptions.paths = {
      "@pulumi/*": [path.join(modules, "@pulumi", "*")],
      "*": [path.join(modules, "*")],
    };
    compilerOptions.typeRoots = [path.join(modules, "@types")];
  }
  const config = fs.existsSync(own)
    ? { extends: own, compilerOptions }
    : { files: [path.resolve(project.dir, project.main)], compilerOptions };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "meridian-typecheck-"));
  const generated = path.join(tmp, "tsconfig.json");
  fs.writeFileSync(generated, JSON.stringify(config));
  const args = ["-p", generated];
  try {
    const r = spawnSync(process.execPath, [tsc, "--noEmit", "--pretty", "false", ...args], {
      cwd: project.dir,
      encoding: "utf8",
      env: process.env,
    });
    if (r.status === 0) return undefined;
    const out = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim();
    return out || `tsc exited with ${r.status ?? r.signal}`;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// Lets a notebook in any folder import this project's packages (kernel-lib, values and types), the way an
// installed torch imports from anywhere in Python. The kernel preloads kernel-preload.js (node --require, see
// kernelArgv), which calls installProjectResolver:
// - at run time the project's node_modules becomes a global module folder (what NODE_PATH does), searched after
//   the notebook's own node_modules folders, so `require("kernel-lib")` resolves from /home/ana/homework too;
// - for the type checker, tslab compiles each cell as <cwd>/__tslab__.ts with TypeScript's node resolution,
//   which looks for <cwd>/node_modules/kernel-lib/...; where such a path does not exist, the file system that
//   tslab's TypeScript sees answers from the project's node_modules instead (tslab does the same for its own
//   package), and realpath() gives the real file, so everything the declarations import resolves from there.
// A package in the notebook's own node_modules always wins; nothing is written anywhere.
import * as path from "path";

/** The TypeScript `sys` members this resolver wraps (those tslab's compiler host reads files through). */
export interface FileSystemHost {
  fileExists(file: string): boolean;
  directoryExists(dir: string): boolean;
  readFile(file: string, encoding?: string): string | undefined;
  realpath?(file: string): string;
  getDirectories(dir: string): string[];
  readDirectory(dir: string, extensions?: readonly string[], exclude?: readonly string[], include?: readonly string[], depth?: number): string[];
  getModifiedTime?(file: string): Date | undefined;
}

/** TypeScript's spelling of a path: forward slashes (also on Windows). */
export function tsPath(p: string): string {
  return p.replace(/\\/g, "/");
}

/**
 * The project's file for `file` when `file` is under `<cwd>/node_modules/` and does not exist itself; else
 * undefined. `cwdModules` and `projectModules` are in TypeScript's spelling; `exists` says whether a path exists.
 */
export function projectFallback(file: string, cwdModules: string, projectModules: string, exists: (p: string) => boolean): string | undefined {
  const f = tsPath(file);
  if (cwdModules === projectModules || !(f === cwdModules || f.startsWith(cwdModules + "/"))) return undefined;
  if (exists(f)) return undefined;
  const mapped = projectModules + f.slice(cwdModules.length);
  return exists(mapped) ? mapped : undefined;
}

/** Wraps `sys` so that a missing <cwd>/node_modules/... path reads from the project's node_modules. */
export function redirectModules(sys: FileSystemHost, cwd: string, projectModules: string): void {
  const cwdModules = tsPath(path.join(cwd, "node_modules"));
  const project = tsPath(projectModules);
  const orig = {
    fileExists: sys.fileExists.bind(sys),
    directoryExists: sys.directoryExists.bind(sys),
    readFile: sys.readFile.bind(sys),
    realpath: sys.realpath?.bind(sys),
    getDirectories: sys.getDirectories.bind(sys),
    readDirectory: sys.readDirectory.bind(sys),
    getModifiedTime: sys.getModifiedTime?.bind(sys),
  };
  const exists = (p: string) => orig.fileExists(p) || orig.directoryExists(p);
  const to = (p: string) => projectFallback(p, cwdModules, project, exists) ?? p;
  sys.fileExists = (f) => orig.fileExists(to(f));
  sys.directoryExists = (d) => orig.directoryExists(to(d));
  sys.readFile = (f, encoding) => orig.readFile(to(f), encoding);
  sys.getDirectories = (d) => orig.getDirectories(to(d));
  sys.readDirectory = (d, ...rest) => orig.readDirectory(to(d), ...rest);
  if (orig.realpath) {
    const realpath = orig.realpath;
    sys.realpath = (f) => realpath(to(f));
  }
  if (orig.getModifiedTime) {
    const modified = orig.getModifiedTime;
    sys.getModifiedTime = (f) => modified(to(f));
  }
}

/** Node's module loader internals used here (stable since Node 0.x; NODE_PATH is read by _initPaths). */
interface NodeModuleInternals {
  _initPaths(): void;
}

/** Appends `dir` to NODE_PATH (keeping what the user set) and makes the running Node re-read it. */
export function addGlobalModuleFolder(dir: string, env: NodeJS.ProcessEnv, moduleApi: NodeModuleInternals): void {
  const current = (env.NODE_PATH ?? "").split(path.delimiter).filter((p) => p !== "");
  if (current.includes(dir)) return;
  env.NODE_PATH = [...current, dir].join(path.delimiter);
  moduleApi._initPaths();
}

/** Installs both halves in this (kernel) process: NODE_PATH and tslab's TypeScript file system. */
export function installProjectResolver(projectRoot: string): void {
  const projectModules = path.join(projectRoot, "node_modules");
  addGlobalModuleFolder(projectModules, process.env, require("module") as NodeModuleInternals);
  const tslabDir = path.dirname(require.resolve("tslab/package.json", { paths: [projectRoot] }));
  const ts = require(require.resolve("@tslab/typescript-for-tslab", { paths: [tslabDir] })) as { sys: FileSystemHost };
  redirectModules(ts.sys, process.cwd(), projectModules);
}

// Finds Jupyter the ways students install it: `jupyter` on PATH, `python3 -m jupyter` / `python -m jupyter`,
// `py -m jupyter` on Windows, the bin/Scripts folder of the active conda env or virtualenv, pip's --user folders
// and the usual conda installs. The candidate list is a pure function of platform, environment and a file-exists
// check, so every platform's decisions are unit-tested here; probing runs each candidate (`... lab --version`).
import { spawnSync, SpawnSyncOptions } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** A way to start Jupyter: `command ...prefix <jupyter arguments>`. */
export interface JupyterCommand {
  command: string;
  /** arguments that come before Jupyter's own (e.g. ["-m", "jupyter"]) */
  prefix: string[];
  /** how it was found, for messages ("jupyter on PATH", "WORKBOOK_JUPYTER", "$CONDA_PREFIX", ...) */
  source: string;
}

export interface DiscoveryContext {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home: string;
  /** does this file exist (for folder candidates) */
  exists: (file: string) => boolean;
  /** the entries of a folder, [] when it cannot be read (for versioned folders such as Python311) */
  list: (dir: string) => string[];
}

export function systemContext(): DiscoveryContext {
  return {
    platform: process.platform,
    env: process.env,
    home: process.env.HOME || process.env.USERPROFILE || os.homedir(),
    exists: (file) => fs.existsSync(file),
    list: (dir) => {
      try {
        return fs.readdirSync(dir);
      } catch {
        return [];
      }
    },
  };
}

/** Splits WORKBOOK_JUPYTER: an existing file path is one command (spaces allowed), else words ("py -m jupyter"). */
export function parseJupyterOverride(value: string, exists: (file: string) => boolean): JupyterCommand {
  const trimmed = value.trim();
  if (exists(trimmed)) return { command: trimmed, prefix: [], source: "WORKBOOK_JUPYTER" };
  const [command, ...prefix] = trimmed.split(/\s+/);
  return { command, prefix, source: "WORKBOOK_JUPYTER" };
}

/**
 * Every way to start Jupyter here, most specific first. WORKBOOK_JUPYTER, when set, is the only candidate.
 * Folder candidates are listed only when the executable exists; command names are left to the probe.
 */
export function jupyterCandidates(ctx: DiscoveryContext): JupyterCommand[] {
  const override = ctx.env.WORKBOOK_JUPYTER;
  if (override && override.trim()) return [parseJupyterOverride(override, ctx.exists)];
  const win = ctx.platform === "win32";
  const p = win ? path.win32 : path.posix;
  const exe = (dir: string): string => p.join(dir, win ? "jupyter.exe" : "jupyter");
  const out: JupyterCommand[] = [];
  const seen = new Set<string>();
  const add = (c: JupyterCommand) => {
    const key = [c.command, ...c.prefix].join("\0").toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      out.push(c);
    }
  };
  const addFolder = (dir: string | undefined, source: string) => {
    if (dir && ctx.exists(exe(dir))) add({ command: exe(dir), prefix: [], source });
  };
  // The active environment wins over whatever PATH has first (an activated env is on PATH anyway).
  const envFolder = win ? "Scripts" : "bin";
  if (ctx.env.VIRTUAL_ENV) addFolder(p.join(ctx.env.VIRTUAL_ENV, envFolder), "$VIRTUAL_ENV");
  if (ctx.env.CONDA_PREFIX) {
    // conda on Windows keeps jupyter.exe in Scripts (the env's root holds python.exe)
    addFolder(p.join(ctx.env.CONDA_PREFIX, envFolder), "$CONDA_PREFIX");
  }
  add({ command: "jupyter", prefix: [], source: "jupyter on PATH" });
  if (win) add({ command: "py", prefix: ["-m", "jupyter"], source: "py -m jupyter" });
  add({ command: "python3", prefix: ["-m", "jupyter"], source: "python3 -m jupyter" });
  add({ command: "python", prefix: ["-m", "jupyter"], source: "python -m jupyter" });
  // Installs whose Scripts/bin folder is often missing from PATH.
  if (win) {
    const appData = ctx.env.APPDATA || p.join(ctx.home, "AppData", "Roaming");
    const localAppData = ctx.env.LOCALAPPDATA || p.join(ctx.home, "AppData", "Local");
    for (const base of [p.join(appData, "Python"), p.join(localAppData, "Programs", "Python")]) {
      for (const version of pythonFolders(ctx.list(base), /^Python\d+$/i)) addFolder(p.join(base, version, "Scripts"), `pip in ${base}`);
    }
    for (const conda of ["anaconda3", "miniconda3", "miniforge3"]) {
      addFolder(p.join(ctx.home, conda, "Scripts"), `~\\${conda}`);
      if (ctx.env.LOCALAPPDATA) addFolder(p.join(ctx.env.LOCALAPPDATA, conda, "Scripts"), `%LOCALAPPDATA%\\${conda}`);
      if (ctx.env.ProgramData) addFolder(p.join(ctx.env.ProgramData, conda, "Scripts"), `%ProgramData%\\${conda}`);
    }
  } else {
    addFolder(p.join(ctx.home, ".local", "bin"), "pip --user (~/.local/bin)");
    if (ctx.platform === "darwin") {
      const base = p.join(ctx.home, "Library", "Python");
      for (const version of pythonFolders(ctx.list(base), /^\d+\.\d+$/)) addFolder(p.join(base, version, "bin"), "pip --user (~/Library/Python)");
      for (const prefix of ["/opt/homebrew", "/usr/local"]) addFolder(p.join(prefix, "bin"), `Homebrew (${prefix})`);
    }
    for (const conda of ["anaconda3", "miniconda3", "miniforge3", "mambaforge"]) addFolder(p.join(ctx.home, conda, "bin"), `~/${conda}`);
    if (ctx.platform === "darwin") addFolder("/opt/anaconda3/bin", "/opt/anaconda3");
  }
  return out;
}

/** Versioned Python folders, newest first (Python312 before Python39; 3.12 before 3.9). */
function pythonFolders(entries: string[], pattern: RegExp): string[] {
  const rank = (name: string) => name.replace(/^\D+/, "").split(".").map(Number);
  return entries.filter((e) => pattern.test(e)).sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      const d = (y[i] ?? 0) - (x[i] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  });
}

/**
 * How to spawn `command args` on this platform. On Windows a bare name or a .cmd/.bat shim (jupyter.cmd, pip's
 * and conda's launchers) only runs through cmd.exe, so the line goes through the shell with each part quoted;
 * elsewhere, and for .exe paths, the program is started directly.
 */
export function spawnSpec(c: JupyterCommand, args: string[], platform: NodeJS.Platform = process.platform): { file: string; args: string[]; shell: boolean } {
  const all = [...c.prefix, ...args];
  if (platform !== "win32" || /\.exe$/i.test(c.command)) return { file: c.command, args: all, shell: false };
  return { file: [c.command, ...all].map(quoteForCmd).join(" "), args: [], shell: true };
}

/** Quotes one argument for cmd.exe (only when needed: spaces or cmd's special characters). */
export function quoteForCmd(arg: string): string {
  if (arg !== "" && !/[\s"&|<>^()%!]/.test(arg)) return arg;
  return `"${arg.replace(/"/g, '""')}"`;
}

export interface JupyterFound {
  jupyter: JupyterCommand;
  /** the front end that answered: JupyterLab, else the classic Notebook */
  app: "lab" | "notebook";
}

export type Probe = (c: JupyterCommand, args: string[]) => { status: number | null; stdout: string };

export function spawnProbe(timeoutMs = 60_000): Probe {
  return (c, args) => {
    const spec = spawnSpec(c, args);
    const options: SpawnSyncOptions = { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: timeoutMs, shell: spec.shell, windowsHide: true };
    const r = spawnSync(spec.file, spec.args, options);
    return { status: r.error ? null : r.status, stdout: String(r.stdout ?? "") };
  };
}

/** The first candidate whose `lab --version` (else `notebook --version`) succeeds, or undefined. */
export function findJupyter(candidates: JupyterCommand[], probe: Probe = spawnProbe()): JupyterFound | undefined {
  for (const jupyter of candidates) {
    for (const app of ["lab", "notebook"] as const) {
      if (probe(jupyter, [app, "--version"]).status === 0) return { jupyter, app };
    }
  }
  return undefined;
}

/** The first candidate that answers `jupyter --data-dir` (Jupyter's own idea of its data folder), or undefined. */
export function jupyterReportedDataDir(candidates: JupyterCommand[], probe: Probe = spawnProbe()): string | undefined {
  for (const jupyter of candidates) {
    const r = probe(jupyter, ["--data-dir"]);
    const dir = r.status === 0 ? r.stdout.trim().split(/\r?\n/).pop()?.trim() : undefined;
    if (dir) return dir;
  }
  return undefined;
}

/** A one-line description of a found Jupyter, for messages. */
export function describeJupyter(c: JupyterCommand): string {
  return `${[c.command, ...c.prefix].join(" ")} (${c.source})`;
}

import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { kernelNodeFlags } from "./node-flags";
import { kernelScript, PROJECT_ROOT } from "./paths";

export const KERNEL_NAME = "kernel-lib-ts";
export const KERNEL_DISPLAY_NAME = "TypeScript (kernel-lib)";
export const KERNEL_LANGUAGE = "typescript";

/** The content of kernel.json (Jupyter's kernel spec format). */
export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: "signal";
  metadata: Record<string, string>;
}

/**
 * The command that starts our kernel: the Node running this code, the project's node flags, the preload that
 * lets notebooks in any folder import kernel-lib, and the project's kernel (tools/workbook/bin/kernel.js, on
 * tslab's compiler). `connectionFile` is Jupyter's placeholder in a kernel spec.
 */
export function kernelArgv(connectionFile = "{connection_file}", nodePath: string = process.execPath): string[] {
  return [nodePath, ...kernelNodeFlags(nodePath), "--require", KERNEL_PRELOAD, kernelScript(), "--config-path", connectionFile];
}

/** Preloaded by the kernel: resolves kernel-lib (values and types) from notebooks outside the project. */
export const KERNEL_PRELOAD = path.join(PROJECT_ROOT, "tools", "workbook", "dist", "kernel-preload.js");

export function buildKernelSpec(nodePath: string = process.execPath): KernelSpec {
  return {
    argv: kernelArgv("{connection_file}", nodePath),
    display_name: KERNEL_DISPLAY_NAME,
    language: KERNEL_LANGUAGE,
    interrupt_mode: "signal",
    metadata: { "kernel-lib-project": PROJECT_ROOT },
  };
}

/**
 * Jupyter's per-user data folder as jupyter_core computes it by default: $JUPYTER_DATA_DIR, else the platform's
 * folder. (Where Jupyter is installed, `jupyter --data-dir` is asked first: see kernelDataDir.)
 */
export function jupyterDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const p = platform === "win32" ? path.win32 : path.posix;
  if (env.JUPYTER_DATA_DIR) return p.resolve(env.JUPYTER_DATA_DIR);
  const home = env.HOME || env.USERPROFILE || os.homedir();
  if (!home) throw new Error("kernel install: cannot find the Jupyter data folder: neither JUPYTER_DATA_DIR nor HOME is set");
  if (platform === "darwin") return p.join(home, "Library", "Jupyter");
  if (platform === "win32") {
    const appData = env.APPDATA || p.join(home, "AppData", "Roaming");
    return p.join(appData, "jupyter");
  }
  const xdg = env.XDG_DATA_HOME || p.join(home, ".local", "share");
  return p.join(xdg, "jupyter");
}

/**
 * Where our kernel spec goes: $JUPYTER_DATA_DIR if set; else where the installed Jupyter says
 * (`jupyter --data-dir`, which knows JUPYTER_PLATFORM_DIRS, conda and virtualenv layouts); else, without
 * Jupyter, the platform default. `ask` runs `jupyter --data-dir` (injected by tests).
 */
export function kernelDataDir(ask: () => string | undefined, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): { dir: string; from: string } {
  if (env.JUPYTER_DATA_DIR) return { dir: jupyterDataDir(env, platform), from: "JUPYTER_DATA_DIR" };
  const reported = ask();
  if (reported) return { dir: reported, from: "jupyter --data-dir" };
  return { dir: jupyterDataDir(env, platform), from: "the platform default (no Jupyter found)" };
}

export function kernelSpecDir(dataDir: string = jupyterDataDir()): string {
  return path.join(dataDir, "kernels", KERNEL_NAME);
}

/** Writes kernels/kernel-lib-ts/kernel.json under the data folder; installing again overwrites it. */
export function installKernelSpec(dataDir: string = jupyterDataDir()): string {
  const dir = kernelSpecDir(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "kernel.json");
  fs.writeFileSync(file, JSON.stringify(buildKernelSpec(), null, 2) + "\n");
  return file;
}

/** Removes our kernel spec folder; returns false when it was not installed. */
export function uninstallKernelSpec(dataDir: string = jupyterDataDir()): boolean {
  const dir = kernelSpecDir(dataDir);
  if (!fs.existsSync(dir)) return false;
  fs.rmSync(dir, { recursive: true, force: true });
  return true;
}

import { spawn, spawnSync } from "child_process";
import * as path from "path";
import { parseArgs, single } from "../args";
import { installKernelSpec, jupyterDataDir } from "../kernelspec";
import { NOTEBOOKS_DIR, PROJECT_ROOT } from "../paths";
import { runCommand } from "./run";

export const START_USAGE = `workbook start [--dir NOTEBOOKS_DIR] [--out DIR]
  Opens the notebooks in JupyterLab if \`jupyter lab\` is available, else in the classic \`jupyter notebook\`,
  with the kernel spec registered. Without Jupyter it says how to install it and runs every notebook headlessly
  (quick mode) into --out (default .out/notebooks). The jupyter command can be overridden with WORKBOOK_JUPYTER.`;

export const INSTALL_HINT =
  "Jupyter is not installed; to open the notebooks interactively install it (Debian/Ubuntu: `sudo apt-get install jupyter-notebook`, elsewhere: `pip install jupyterlab`). Running them headlessly instead.";

/** Which Jupyter front end works here: "lab", "notebook" or none. */
export function jupyterFrontEnd(jupyter: string): "lab" | "notebook" | undefined {
  for (const app of ["lab", "notebook"] as const) {
    const r = spawnSync(jupyter, [app, "--version"], { stdio: "ignore", timeout: 60_000 });
    if (r.status === 0) return app;
  }
  return undefined;
}

export async function startCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { options: ["dir", "out"], flags: [] }, "start");
  const dir = path.resolve(single(args, "dir") ?? NOTEBOOKS_DIR);
  const jupyter = process.env.WORKBOOK_JUPYTER || "jupyter";
  const app = jupyterFrontEnd(jupyter);
  if (!app) {
    console.log(INSTALL_HINT);
    return runCommand([dir, "--quick", "--out", single(args, "out") ?? path.join(PROJECT_ROOT, ".out", "notebooks")]);
  }
  try {
    installKernelSpec(jupyterDataDir());
  } catch (e) {
    console.error(`workbook: could not register the kernel spec: ${(e as Error).message}`);
  }
  const extra = process.getuid && process.getuid() === 0 ? ["--allow-root"] : [];
  console.log(`workbook: starting jupyter ${app} in ${dir} (pick the kernel "TypeScript (kernel-lib)")`);
  const child = spawn(jupyter, [app, `--notebook-dir=${dir}`, ...extra], { stdio: "inherit" });
  // Ctrl-C reaches Jupyter directly (same terminal); it asks for confirmation and shuts its kernels down.
  process.on("SIGINT", () => undefined);
  return new Promise((resolve) => child.on("exit", (code) => resolve(code ?? 0)));
}

import { spawn } from "child_process";
import * as path from "path";
import { parseArgs, single } from "../args";
import { describeJupyter, findJupyter, jupyterCandidates, jupyterReportedDataDir, spawnSpec, systemContext } from "../find-jupyter";
import { installKernelSpec, kernelDataDir } from "../kernelspec";
import { NOTEBOOKS_DIR, PROJECT_ROOT } from "../paths";
import { runCommand } from "./run";

export const START_USAGE = `workbook start [--dir NOTEBOOKS_DIR]
workbook start --headless [--dir NOTEBOOKS_DIR] [--out DIR]   (npm run course:headless)
  Opens the notebooks in JupyterLab if \`jupyter lab\` is available, else in the classic \`jupyter notebook\`,
  with the kernel spec registered where \`jupyter --data-dir\` points. Jupyter is looked for on PATH, as
  python3/python -m jupyter (py -m jupyter on Windows), in the active conda env or virtualenv and in pip's and
  conda's usual folders; WORKBOOK_JUPYTER overrides the search. Jupyter keeps this terminal until you stop it
  (Ctrl-C); run \`npm test\` in a second terminal. Without Jupyter it says how to install it and exits (code 1).
  --headless runs every notebook without Jupyter in quick mode into --out (default .out/notebooks).`;

/** What `npm start` prints when no Jupyter is found: how to install it, and the headless alternative. */
export function noJupyterMessage(platform: NodeJS.Platform = process.platform): string {
  const install =
    platform === "win32"
      ? "`py -m pip install jupyterlab` (or install Anaconda)"
      : platform === "darwin"
        ? "`python3 -m pip install jupyterlab` or `brew install jupyterlab`"
        : "`sudo apt-get install jupyter-notebook` on Debian/Ubuntu, elsewhere `python3 -m pip install jupyterlab`";
  return [
    "Jupyter was not found (looked for jupyter on PATH, python -m jupyter, conda and virtualenv folders).",
    `To open the notebooks interactively, install it: ${install}; then run \`npm start\` again.`,
    "If Jupyter is installed somewhere else, point WORKBOOK_JUPYTER at it (e.g. WORKBOOK_JUPYTER=/path/to/jupyter npm start).",
    "To run every notebook without Jupyter instead (quick mode, a few minutes): `npm run course:headless`.",
  ].join("\n");
}

export async function startCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { options: ["dir", "out"], flags: ["headless"] }, "start");
  const dir = path.resolve(single(args, "dir") ?? NOTEBOOKS_DIR);
  if (args.flags.has("headless")) {
    return runCommand([dir, "--quick", "--out", single(args, "out") ?? path.join(PROJECT_ROOT, ".out", "notebooks")]);
  }
  const found = findJupyter(jupyterCandidates(systemContext()));
  if (!found) {
    console.log(noJupyterMessage());
    return 1;
  }
  try {
    const target = kernelDataDir(() => jupyterReportedDataDir([found.jupyter]));
    installKernelSpec(target.dir);
  } catch (e) {
    console.error(`workbook: could not register the kernel spec: ${(e as Error).message}`);
  }
  const extra = process.getuid && process.getuid() === 0 ? ["--allow-root"] : [];
  console.log(`workbook: starting jupyter ${app(found.app)} in ${dir} with ${describeJupyter(found.jupyter)}; pick the kernel "TypeScript (kernel-lib)".`);
  console.log("workbook: Jupyter keeps this terminal; stop it with Ctrl-C here. Run `npm test` or other commands in a second terminal.");
  const spec = spawnSpec(found.jupyter, [found.app, `--notebook-dir=${dir}`, ...extra]);
  const child = spawn(spec.file, spec.args, { stdio: "inherit", shell: spec.shell });
  // Ctrl-C reaches Jupyter directly (same terminal); it asks for confirmation and shuts its kernels down.
  process.on("SIGINT", () => undefined);
  return new Promise((resolve) => {
    child.on("error", (e) => {
      console.error(`workbook: could not start ${describeJupyter(found.jupyter)}: ${e.message}`);
      resolve(1);
    });
    child.on("exit", (code) => resolve(code ?? 0));
  });
}

function app(name: "lab" | "notebook"): string {
  return name === "lab" ? "lab (JupyterLab)" : "notebook (classic Notebook)";
}

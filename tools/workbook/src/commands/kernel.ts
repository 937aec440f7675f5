import { parseArgs, single, UsageError } from "../args";
import { jupyterCandidates, jupyterReportedDataDir, systemContext } from "../find-jupyter";
import { buildKernelSpec, installKernelSpec, KERNEL_DISPLAY_NAME, kernelDataDir, kernelSpecDir, uninstallKernelSpec } from "../kernelspec";

export const KERNEL_USAGE = `workbook kernel install [--data-dir DIR] [--best-effort]
workbook kernel uninstall [--data-dir DIR]
workbook kernel show
  Registers (or removes) the "${KERNEL_DISPLAY_NAME}" Jupyter kernel spec in DIR/kernels/ (default: JUPYTER_DATA_DIR,
  else the folder \`jupyter --data-dir\` prints where Jupyter is installed, else the platform's Jupyter data folder
  such as ~/.local/share/jupyter). With --best-effort (used by npm install) a CI run or a missing home folder
  skips registration and no failure stops the install. \`show\` prints the kernel spec.`;

/** The data folder for our kernel spec here: JUPYTER_DATA_DIR, else Jupyter's own answer, else the default. */
export function defaultKernelDataDir(): { dir: string; from: string } {
  return kernelDataDir(() => jupyterReportedDataDir(jupyterCandidates(systemContext())));
}

export async function kernelCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const args = parseArgs(rest, { options: ["data-dir"], flags: ["best-effort"] }, `kernel ${sub ?? ""}`.trim());
  const given = single(args, "data-dir");
  switch (sub) {
    case "install": {
      const best = args.flags.has("best-effort");
      if (best && !given && isCI()) {
        console.log("workbook: CI detected, not registering the Jupyter kernel (run `npm run kernel:install` to do it)");
        return 0;
      }
      try {
        const target = given ? { dir: given, from: "--data-dir" } : defaultKernelDataDir();
        const file = installKernelSpec(target.dir);
        console.log(`workbook: registered Jupyter kernel "${KERNEL_DISPLAY_NAME}": ${file} (data folder from ${target.from})`);
        return 0;
      } catch (e) {
        if (!best) throw e;
        console.log(`workbook: could not register the Jupyter kernel (${(e as Error).message}); run \`npm run kernel:install\` later`);
        return 0;
      }
    }
    case "uninstall": {
      const data = given ?? defaultKernelDataDir().dir;
      const dir = kernelSpecDir(data);
      console.log(uninstallKernelSpec(data) ? `workbook: removed ${dir}` : `workbook: no kernel spec at ${dir}`);
      return 0;
    }
    case "show":
      console.log(JSON.stringify(buildKernelSpec(), null, 2));
      return 0;
    default:
      throw new UsageError(`kernel: expected install, uninstall or show\n${KERNEL_USAGE}`);
  }
}

function isCI(): boolean {
  const v = process.env.CI;
  return v !== undefined && v !== "" && v !== "0" && v.toLowerCase() !== "false";
}

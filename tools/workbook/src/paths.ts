import * as path from "path";

/** The project root: the folder whose package.json lists the kernel-lib workspace (tools/workbook/dist/.. /..). */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..", "..");

/** The project's kernel (tools/workbook/bin/kernel.js: tslab's compiler, sockets on a worker thread; docs/kernel.md). */
export function kernelScript(): string {
  return path.join(PROJECT_ROOT, "tools", "workbook", "bin", "kernel.js");
}

/** The folder holding the notebooks of the course. */
export const NOTEBOOKS_DIR = path.join(PROJECT_ROOT, "notebooks");

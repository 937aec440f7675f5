import * as fs from "fs";
import * as path from "path";

/** The project root: the folder whose package.json lists the kernel-lib workspace (tools/workbook/dist/.. /..). */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..", "..");

/** The project's own tslab executable script (started with node, never through a shell). */
export function tslabScript(): string {
  const pkg = require.resolve("tslab/package.json", { paths: [PROJECT_ROOT] });
  const script = path.join(path.dirname(pkg), "bin", "tslab");
  if (!fs.existsSync(script)) {
    throw new Error(`workbook: tslab is not installed (looked for ${script}); run \`npm install\` in ${PROJECT_ROOT}`);
  }
  return script;
}

/** The project's kernel (tools/workbook/bin/kernel.js: tslab's compiler, sockets on a worker thread; docs/kernel.md). */
export function kernelScript(): string {
  return path.join(PROJECT_ROOT, "tools", "workbook", "bin", "kernel.js");
}

/** The folder holding the notebooks of the course. */
export const NOTEBOOKS_DIR = path.join(PROJECT_ROOT, "notebooks");

import * as path from "path";
import { kernelArgv } from "../kernelspec";
import { PROJECT_ROOT } from "../paths";

/** The preload that freezes built-ins in a grading kernel (see the file for what and why). */
export const HARDEN_PRELOAD = path.join(PROJECT_ROOT, "tools", "workbook", "preload", "harden-grading.cjs");

/**
 * The grading kernel's command: the kernel spec's, with Node's `--require HARDEN_PRELOAD` before everything
 * else, so the built-ins are frozen before tslab or any cell runs. Independent of the kernel's internals.
 */
export function hardenedKernelArgv(connectionFile: string): string[] {
  const argv = kernelArgv(connectionFile);
  return [argv[0], "--require", HARDEN_PRELOAD, ...argv.slice(1)];
}

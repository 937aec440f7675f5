// Runs test files in a child vitest with extra environment (a backend swapped in by KERNEL_LIB_TEST_BACKEND), and
// returns its exit status, its output without colour codes, and how many tests passed.
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");

export function runChildVitest(files: readonly string[], env: NodeJS.ProcessEnv): { status: number | null; output: string; passed: number } {
  const vitest = path.join(ROOT, "node_modules", "vitest", "vitest.mjs");
  const run = spawnSync(process.execPath, [vitest, "run", ...files], {
    cwd: ROOT,
    env: { ...process.env, ...env, NO_COLOR: "1", FORCE_COLOR: undefined },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${run.stdout}\n${run.stderr}`.replace(/\u001b\[[0-9;]*m/g, "");
  return { status: run.status, output, passed: Number(/Tests\s+(\d+) passed/.exec(output)?.[1] ?? 0) };
}

// The op, autograd, optimizer, nn and data suites again, on the test-only array backend (storage that is not a
// TypedArray, managed memory: test/helpers/array-backend.ts), in a child vitest with KERNEL_LIB_TEST_BACKEND=array:
// code that bypasses the backend passes on the CPU and fails here. (Any one file: see README, "array backend".)
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..");
const ARRAY_BACKEND_SUITES = [
  "parity-ops", "gradcheck", "optim-parity", "optim-behavior", "optim-composed", "tensor-ops", "tensor-contract",
  "autograd-core", "op-declarations", "ops-gemm", "nn-layers", "nn-module", "pytorch-spelling", "data-loader",
  "storage-lifetime",
].map((name) => `test/${name}.test.ts`);

describe("the suites on the array backend", () => {
  it("pass unchanged with KERNEL_LIB_TEST_BACKEND=array", () => {
    const vitest = path.join(ROOT, "node_modules", "vitest", "vitest.mjs");
    const run = spawnSync(process.execPath, [vitest, "run", ...ARRAY_BACKEND_SUITES], {
      cwd: ROOT,
      env: { ...process.env, KERNEL_LIB_TEST_BACKEND: "array", NO_COLOR: "1", FORCE_COLOR: undefined },
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    const output = `${run.stdout}\n${run.stderr}`.replace(/\u001b\[[0-9;]*m/g, "");
    expect(run.status, output.slice(-8000)).toBe(0);
    expect(output).toMatch(new RegExp(`Test Files\\s+${ARRAY_BACKEND_SUITES.length} passed`));
  }, 600_000);
});

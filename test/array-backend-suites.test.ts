// The op, autograd, optimizer, nn and data suites again, on the test-only array backend (storage that is not a
// TypedArray, managed memory: test/helpers/array-backend.ts), in a child vitest with KERNEL_LIB_TEST_BACKEND=array:
// code that bypasses the backend passes on the CPU and fails here. (Any one file: see README, "array backend".)
import { describe, expect, it } from "vitest";
import { runChildVitest } from "./helpers/child-vitest";

const ARRAY_BACKEND_SUITES = [
  "parity-ops", "gradcheck", "optim-parity", "optim-behavior", "optim-composed", "tensor-ops", "tensor-contract",
  "autograd-core", "op-declarations", "ops-gemm", "nn-layers", "nn-module", "pytorch-spelling", "data-loader",
  "storage-lifetime",
].map((name) => `test/${name}.test.ts`);

describe("the suites on the array backend", () => {
  it("pass unchanged with KERNEL_LIB_TEST_BACKEND=array", () => {
    const run = runChildVitest(ARRAY_BACKEND_SUITES, { KERNEL_LIB_TEST_BACKEND: "array" });
    expect(run.status, run.output.slice(-8000)).toBe(0);
    expect(run.output).toMatch(new RegExp(`Test Files\\s+${ARRAY_BACKEND_SUITES.length} passed`));
  }, 600_000);
});

// The PyTorch parity fixture (every op, forward and gradient: test/parity-ops.test.ts) again with the WebGPU backend
// as the default device (KERNEL_LIB_TEST_BACKEND=webgpu: test/helpers/select-backend.ts), in a child vitest. Its
// float64 cases are left out there (WGSL has no float64); every other case must pass with the same tolerances.
// Skipped without an adapter, except under REQUIRE_WEBGPU=1 (CI) or KERNEL_LIB_WEBGPU=require.
import { describe, expect, it } from "vitest";
import { runChildVitest } from "./helpers/child-vitest";
import { testWebgpuBackend, webgpuRequired } from "./helpers/webgpu";

const SUITES = ["parity-ops"].map((name) => `test/${name}.test.ts`);
const gpu = testWebgpuBackend();

describe.skipIf(!gpu && !webgpuRequired())("the PyTorch parity fixture on the webgpu backend", () => {
  it("passes with KERNEL_LIB_TEST_BACKEND=webgpu", () => {
    const run = runChildVitest(SUITES, { KERNEL_LIB_TEST_BACKEND: "webgpu" });
    expect(run.status, run.output.slice(-8000)).toBe(0);
    // the fixture has 223 cases, 7 of them float64-only
    expect(run.passed, run.output.slice(-3000)).toBeGreaterThanOrEqual(210);
  }, 600_000);
});

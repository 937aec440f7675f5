// The PyTorch parity fixture (every op, forward and gradient: test/parity-ops.test.ts) again with the WebGPU backend
// as the default device (KERNEL_LIB_TEST_BACKEND=webgpu: test/helpers/select-backend.ts), in a child vitest. Its
// float64 cases are left out there (WGSL has no float64); every other case must pass with the same tolerances.
// Skipped without an adapter, except under REQUIRE_WEBGPU=1 (CI) or KERNEL_LIB_WEBGPU=require.
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { testWebgpuBackend, webgpuRequired } from "./helpers/webgpu";

const ROOT = path.resolve(__dirname, "..");
const SUITES = ["parity-ops"].map((name) => `test/${name}.test.ts`);
const gpu = testWebgpuBackend();

describe.skipIf(!gpu && !webgpuRequired())("the PyTorch parity fixture on the webgpu backend", () => {
  it("passes with KERNEL_LIB_TEST_BACKEND=webgpu", () => {
    const vitest = path.join(ROOT, "node_modules", "vitest", "vitest.mjs");
    const run = spawnSync(process.execPath, [vitest, "run", ...SUITES], {
      cwd: ROOT,
      env: { ...process.env, KERNEL_LIB_TEST_BACKEND: "webgpu", NO_COLOR: "1", FORCE_COLOR: undefined },
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    const output = `${run.stdout}\n${run.stderr}`.replace(/\u001b\[[0-9;]*m/g, "");
    expect(run.status, output.slice(-8000)).toBe(0);
    // the fixture has 223 cases, 7 of them float64-only
    const passed = Number(/Tests\s+(\d+) passed/.exec(output)?.[1] ?? 0);
    expect(passed, output.slice(-3000)).toBeGreaterThanOrEqual(210);
  }, 600_000);
});

// vitest setup file: KERNEL_LIB_TEST_BACKEND=array runs a test file with the test-only array backend
// (helpers/array-backend.ts) in place of the CPU backend, so code that bypasses the backend fails there.
// Without the variable it does nothing.
import { registerBackend } from "../../kernel-lib/src/backends/registry";
import type { Backend } from "../../kernel-lib/src/backends/backend";
import { arrayBackend } from "./array-backend";
import { testWebgpuBackend } from "./webgpu";

const which = process.env.KERNEL_LIB_TEST_BACKEND;
if (which === "array") registerBackend(arrayBackend);
else if (which === "webgpu") {
  // the GPU backend under the name "cpu", so suites written for the default device run their float32 cases on it
  const gpu = testWebgpuBackend();
  if (!gpu) throw new Error("KERNEL_LIB_TEST_BACKEND=webgpu: no WebGPU adapter (see test/helpers/webgpu.ts)");
  registerBackend(Object.create(gpu, { device: { value: "cpu" } }) as Backend);
} else if (which !== undefined && which !== "" && which !== "cpu") {
  throw new Error(`KERNEL_LIB_TEST_BACKEND=${which}: the test backends are "cpu" (the default), "array" and "webgpu"`);
}

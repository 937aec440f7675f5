// vitest setup file: KERNEL_LIB_TEST_BACKEND=array runs a test file with the test-only array backend
// (helpers/array-backend.ts) in place of the CPU backend, so code that bypasses the backend fails there.
// Without the variable it does nothing.
import { registerBackend } from "../../kernel-lib/src/backends/registry";
import { arrayBackend } from "./array-backend";

const which = process.env.KERNEL_LIB_TEST_BACKEND;
if (which === "array") registerBackend(arrayBackend);
else if (which !== undefined && which !== "" && which !== "cpu") {
  throw new Error(`KERNEL_LIB_TEST_BACKEND=${which}: the test backends are "cpu" (the default) and "array"`);
}

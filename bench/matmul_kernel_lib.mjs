// kernel-lib matmul GFLOP/s in this process's kernel mode. Usage: node bench/matmul_kernel_lib.mjs MODE M,K,N...
// MODE: native (OpenBLAS addon, through gemm()) | relaxed-simd | simd | off (TypeScript).
// Threads follow KERNEL_LIB_THREADS (default: all cores); the native mode's OpenBLAS uses 2 (kernel-lib's choice).
import { createRequire } from "node:module";
import { filled, gflops, bestSeconds } from "./lib/timing.mjs";

const require = createRequire(import.meta.url);
const wasm = require("../kernel-lib/dist/backends/cpu/wasm/index.js");
const native = require("../kernel-lib/dist/backends/cpu/native.js");
const { gemm } = require("../kernel-lib/dist/backends/cpu/gemm.js");

const [mode, ...shapes] = process.argv.slice(2);
let product = (m, n, k, a, b, c) => wasm.wasmGemmF32(false, false, m, n, k, a, 0, b, 0, c, 0, false);
let workers = 0;
if (mode === "native") {
  const info = native.nativeBlasInfo();
  if (!info.available) throw new Error(`native BLAS not available: ${info.reason}`);
  product = (m, n, k, a, b, c) => gemm(false, false, m, n, k, a, 0, b, 0, c, 0, false);
  workers = info.threads - 1;
} else {
  wasm.setWasmMode(mode);
  workers = await wasm.wasmThreadsReady();
}
const results = [];
for (const spec of shapes) {
  const [m, k, n] = spec.split(",").map(Number);
  const a = filled(m * k, 1), b = filled(k * n, 2), c = new Float32Array(m * n);
  const budget = mode === "off" ? 3 : 1;
  const seconds = bestSeconds(() => product(m, n, k, a, b, c), {
    minReps: mode === "off" && m * k * n > 1e8 ? 2 : 5, warmup: mode === "off" && m * k * n > 1e8 ? 1 : 3, budgetSeconds: budget,
  });
  results.push({ shape: [m, k, n], seconds, gflops: gflops(m, k, n, seconds) });
}
console.log(JSON.stringify({ mode: mode === "native" ? "native" : wasm.wasmKernelInfo().mode, threads: workers + 1, matmul: results }));

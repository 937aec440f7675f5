// Measurements behind the kernel design choices (not part of the headline table):
//  1. the cost of copying GEMM operands into wasm memory versus the whole product;
//  2. wasm SIMD (with its copies in and out) versus the TypeScript loops for the fused and elementwise kernels.
// Usage: node --experimental-wasm-relaxed-simd bench/micro.mjs
import { createRequire } from "node:module";
import { filled, bestSeconds } from "./lib/timing.mjs";

const require = createRequire(import.meta.url);
const wasm = require("../kernel-lib/dist/backends/cpu/wasm/index.js");
await wasm.wasmThreadsReady();
const us = (s) => (s * 1e6).toFixed(1);

console.log(`mode ${wasm.wasmKernelInfo().mode}, workers ${wasm.wasmKernelInfo().workers}`);
for (const [m, k, n] of [[12, 784, 512], [256, 784, 256], [1024, 1024, 1024]]) {
  const a = filled(m * k, 1), b = filled(k * n, 2), c = new Float32Array(m * n);
  const heap = new Float32Array(new SharedArrayBuffer((m * k + k * n + m * n) * 4));
  const copy = bestSeconds(() => {
    heap.set(a, 0); heap.set(b, m * k); c.set(heap.subarray(m * k + k * n, m * k + k * n + m * n));
  });
  const total = bestSeconds(() => wasm.wasmGemmF32(false, false, m, n, k, a, 0, b, 0, c, 0, false));
  console.log(`gemm ${m}x${k}x${n}: copies in/out ${us(copy)} us of ${us(total)} us total (${(100 * copy / total).toFixed(1)}%)`);
}

function compare(name, n, wasmFn, tsFn) {
  wasm.setWasmMode("auto");
  const tw = bestSeconds(wasmFn);
  wasm.setWasmMode("off");
  const tt = bestSeconds(tsFn ?? wasmFn);
  wasm.setWasmMode("auto");
  console.log(`${name} n=${n}: wasm ${us(tw)} us, TypeScript ${us(tt)} us (wasm ${(tt / tw).toFixed(2)}x)`);
}
for (const n of [256 * 10, 256 * 256, 784 * 512]) {
  const x = filled(n, 3), out = new Float32Array(n), gy = filled(n, 4);
  compare("relu", n, () => wasm.wasmReluF32(x, out));
  compare("reluBackward", n, () => wasm.wasmReluBackwardF32(gy, x, out));
  const p = filled(n, 5), g = filled(n, 6), m1 = new Float32Array(n), v1 = new Float32Array(n);
  compare("adam", n, () => wasm.wasmAdamStepF32(p, g, m1, v1, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, step: 3 }));
  compare("sgd momentum", n, () => wasm.wasmSgdStepF32(p, g, m1, { lr: 1e-2, momentum: 0.9, weightDecay: 0, nesterov: false, firstStep: false }));
}
for (const [rows, cols] of [[256, 10], [12, 10]]) {
  const logits = filled(rows * cols, 7), labels = Int32Array.from({ length: rows }, (_, i) => i % cols), grad = new Float32Array(rows * cols);
  compare("softmaxCrossEntropy", rows * cols, () => wasm.wasmSoftmaxCrossEntropyF32(logits, labels, rows, cols, null, grad, 1 / rows));
}
for (const [rows, cols] of [[256, 256], [12, 512]]) {
  const x = filled(rows * cols, 8), bias = filled(cols, 9), out = new Float32Array(rows * cols), sums = new Float32Array(cols);
  compare("addBias", rows * cols, () => wasm.wasmAddBiasF32(x, bias, out, rows, cols));
  compare("sumRows", rows * cols, () => wasm.wasmSumRowsF32(x, sums, rows, cols));
}
for (const [batch, inF, outF] of [[256, 784, 256], [12, 784, 512], [12, 64, 10]]) {
  const x = filled(batch * inF, 1), w = filled(outF * inF, 2), bias = filled(outF, 3), out = new Float32Array(batch * outF);
  compare("linear+bias+relu", batch * inF * outF, () => wasm.wasmLinearF32(x, w, bias, out, batch, inF, outF, true));
}

// Native OpenBLAS sgemm (1 and 2 threads) vs the wasm GEMM on the products the MNIST recipes run, in µs per call.
// Usage: node --experimental-wasm-relaxed-simd bench/native_gemm.mjs   (needs kernel-lib/dist/native/blas.node)
import { createRequire } from "node:module";
import { loadavg } from "node:os";

const require = createRequire(import.meta.url);
const wasm = require("../kernel-lib/dist/backends/cpu/wasm/index.js");
const native = require("../kernel-lib/dist/backends/cpu/native.js");
const sgemm = native.nativeSgemm();
if (!sgemm) throw new Error(`native BLAS not available: ${native.nativeBlasInfo().reason}`);
await wasm.wasmThreadsReady();

const shapes = [];
const layers = (batch, sizes) => {
  for (let i = 0; i < sizes.length - 1; i++) {
    const [inF, outF] = [sizes[i], sizes[i + 1]];
    shapes.push([`B${batch} ${inF}->${outF} fwd x·Wᵀ`, false, true, batch, outF, inF]);
    shapes.push([`B${batch} ${inF}->${outF} dx g·W`, false, false, batch, inF, outF]);
    shapes.push([`B${batch} ${inF}->${outF} dW gᵀ·x`, true, false, outF, inF, batch]);
  }
};
layers(12, [784, 512, 256, 128, 64, 10]);
layers(256, [784, 256, 10]);
shapes.push(["1024³", false, false, 1024, 1024, 1024]);

function time(fn, macs) {
  const reps = Math.max(3, Math.min(20000, Math.round(2e8 / macs)));
  for (let i = 0; i < Math.min(reps, 50); i++) fn();
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e3 / reps);
  }
  return best;
}

console.log(`load average ${loadavg()[0].toFixed(2)}; ${native.nativeBlasInfo().config}`);
console.log("| product | m | n | k | wasm µs | native 1 thread µs | native 2 threads µs |");
console.log("|---|---:|---:|---:|---:|---:|---:|");
for (const [name, tA, tB, m, n, k] of shapes) {
  const a = new Float32Array(m * k).map(() => Math.random() - 0.5), b = new Float32Array(k * n).map(() => Math.random() - 0.5);
  const c = new Float32Array(m * n);
  const macs = m * n * k;
  const w = time(() => wasm.wasmGemmF32(tA, tB, m, n, k, a, 0, b, 0, c, 0, false), macs);
  native.setNativeBlasThreads(1);
  const n1 = time(() => sgemm(tA, tB, m, n, k, a, 0, b, 0, c, 0, false), macs);
  native.setNativeBlasThreads(2);
  const n2 = time(() => sgemm(tA, tB, m, n, k, a, 0, b, 0, c, 0, false), macs);
  console.log(`| ${name} | ${m} | ${n} | ${k} | ${w.toFixed(1)} | ${n1.toFixed(1)} | ${n2.toFixed(1)} |`);
}
await wasm.shutdownWasmThreads();

// Where a training step's time goes, kernel-lib side (the twin of bench/step_split.py): the batch-256 Adam recipe or the
// batch-12 SGD one, as bench/mnist_kernel_lib.mjs trains it (DataLoader over a TensorDataset of in-memory MNIST), with
// wall µs per step for the batch fetch, forward + loss, zeroGrad + backward, and the optimizer step, and the part of
// the step spent inside the native sgemm calls (the same OpenBLAS PyTorch calls here). One JSON line.
// Usage: node --experimental-wasm-relaxed-simd bench/step_split.mjs RECIPE [STEPS]   (50 warm-up steps first)
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const native = require("../kernel-lib/dist/backends/cpu/native.js");
// the CPU backend calls the module's export at each product, so wrapping the export times every sgemm
const sgemm = native.nativeGemmF32;
let gemmMs = 0;
native.nativeGemmF32 = (...args) => {
  const t = performance.now();
  const done = sgemm(...args);
  gemmMs += performance.now() - t;
  return done;
};
// On the wasm path (KERNEL_LIB_BLAS=off) the wasm products are timed instead, copies into wasm memory included.
const wasmGemm = require("../kernel-lib/dist/backends/cpu/wasm/gemm.js");
for (const name of ["wasmGemmF32", "wasmLinearF32"]) {
  const inner = wasmGemm[name];
  wasmGemm[name] = (...args) => {
    const t = performance.now();
    inner(...args);
    gemmMs += performance.now() - t;
  };
}
const { torch } = require("../kernel-lib/dist/index.js");
const { nn, optim } = torch;

const RECIPES = {
  adam256: { sizes: [784, 256, 10], batch: 256, opt: (p) => new optim.Adam(p, { lr: 1e-3 }) },
  sgd12: { sizes: [784, 512, 256, 128, 64, 10], batch: 12, opt: (p) => new optim.SGD(p, { lr: 0.01 }) },
};
const [recipe = "adam256", stepsArg = "1000"] = process.argv.slice(2);
const r = RECIPES[recipe];
if (!r) throw new Error(`unknown recipe ${recipe}; use ${Object.keys(RECIPES).join(" or ")}`);
const steps = Number(stepsArg), warm = 50;
torch.manualSeed(0);
const ds = new torch.datasets.MNIST({ train: true });
const n = ds.length;
const loader = new torch.utils.data.DataLoader(
  new torch.utils.data.TensorDataset(ds.data.reshape([n, 784]).float().div(255), ds.targets), { batchSize: r.batch, shuffle: true });
const layers = [];
for (let i = 0; i < r.sizes.length - 1; i++) {
  layers.push(new nn.Linear(r.sizes[i], r.sizes[i + 1]));
  if (i < r.sizes.length - 2) layers.push(new nn.ReLU());
}
const model = new nn.Sequential(...layers);
const opt = r.opt(model.parameters());
const t = { batch: 0, forward: 0, backward: 0, step: 0 };
let k = 0;
while (k < warm + steps) {
  const it = loader[Symbol.iterator]();
  for (;;) {
    const a = performance.now();
    const next = it.next();
    if (next.done) break;
    const [x, y] = next.value;
    const b = performance.now();
    const loss = nn.functional.crossEntropy(model.forward(x), y);
    const c = performance.now();
    opt.zeroGrad();
    loss.backward();
    const d = performance.now();
    opt.step();
    loss.item();
    const e = performance.now();
    if (k === warm - 1) gemmMs = 0;
    if (k >= warm) { t.batch += b - a; t.forward += c - b; t.backward += d - c; t.step += e - d; }
    if (++k >= warm + steps) break;
  }
}
const us = (ms) => Math.round((1000 * ms) / steps);
const total = t.batch + t.forward + t.backward + t.step;
const info = native.nativeBlasInfo();
console.log(JSON.stringify({
  side: "kernel-lib", recipe, steps, batch_us: us(t.batch), forward_us: us(t.forward), backward_us: us(t.backward), step_us: us(t.step),
  total_us: us(total), gemm_us: us(gemmMs), other_us: us(total - gemmMs), gemm: info.available ? `native ${info.core}` : "wasm",
}));

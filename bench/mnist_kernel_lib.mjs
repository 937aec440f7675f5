// kernel-lib side of the MNIST training recipes (the twins of bench/torch_bench.py's `mnist` mode).
// Usage: node bench/mnist_kernel_lib.mjs RECIPE EPOCHS [--profile-steps N]  -> one JSON object like the PyTorch side's.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { torch } = require("../kernel-lib/dist/index.js");
const { nn, optim } = torch;
const wasm = require("../kernel-lib/dist/backends/cpu/wasm/index.js");
const native = require("../kernel-lib/dist/backends/cpu/native.js");

const RECIPES = {
  // 784-256-10 ReLU, Adam 1e-3, batch 256
  adam256: { sizes: [784, 256, 10], batch: 256, opt: (p) => new optim.Adam(p, { lr: 1e-3 }) },
  // 784-512-256-128-64-10 ReLU, SGD 0.01, batch 12
  sgd12: { sizes: [784, 512, 256, 128, 64, 10], batch: 12, opt: (p) => new optim.SGD(p, { lr: 0.01 }) },
};

function mlp(sizes) {
  const layers = [];
  for (let i = 0; i < sizes.length - 1; i++) {
    layers.push(new nn.Linear(sizes[i], sizes[i + 1]));
    if (i < sizes.length - 2) layers.push(new nn.ReLU());
  }
  return new nn.Sequential(...layers);
}

const rssMiB = () => process.memoryUsage().rss / 2 ** 20;

// KERNEL_LIB_BENCH_DEVICE=webgpu trains on the GPU, moving each batch there as the lecture's loop does.
const device = process.env.KERNEL_LIB_BENCH_DEVICE ?? "cpu";

/** Images as float32 [N, 784] in [0, 1] (pixels / 255, as torch_bench.py) and labels int32 [N], in memory. */
function inMemory(train) {
  const ds = new torch.datasets.MNIST({ train });
  const n = ds.length;
  return [ds.data.reshape([n, 784]).float().div(255), ds.targets];
}

/**
 * Trains one recipe on in-memory MNIST with kernel-lib and returns
 * { recipe, epochs, epoch_seconds: number[], test_accuracy: number[], rss_mib: {"1": MiB, ...}, heap_used_mib, final_loss }
 * (memory is read after a full GC when node runs with --expose-gc, as `npm run bench` starts it).
 * Data as in torch_bench.py: pixels / 255 as float32 [N, 784], labels int32, shuffled each epoch (DataLoader with
 * the seeded generator), last partial batch kept. `maxSteps` stops each epoch early (for profiling one step's cost).
 */
export async function trainKernelLibMnist(recipe, epochs, { maxSteps = Infinity } = {}) {
  const r = RECIPES[recipe];
  if (!r) throw new Error(`unknown recipe ${recipe}; use ${Object.keys(RECIPES).join(" or ")}`);
  torch.manualSeed(0);
  const [xtr, ytr] = inMemory(true);
  const [xte, yte] = inMemory(false);
  const loader = new torch.utils.data.DataLoader(new torch.utils.data.TensorDataset(xtr, ytr), { batchSize: r.batch, shuffle: true });
  const model = mlp(r.sizes).to(device);
  const xteOn = xte.to(device), yteOn = yte.to(device);
  const opt = r.opt(model.parameters());
  const epochSeconds = [], accuracy = [], rss = {}, heap = {};
  let loss = null;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const t0 = performance.now();
    model.train();
    let steps = 0;
    for (const [x, y] of loader) {
      loss = nn.functional.crossEntropy(model.forward(x.to(device)), y.to(device));
      opt.zeroGrad();
      loss.backward();
      opt.step();
      if (++steps >= maxSteps) break;
    }
    epochSeconds.push((performance.now() - t0) / 1000);
    model.eval();
    const acc = torch.noGrad(() => model.forward(xteOn).argmax(1).eq(yteOn).float().mean().item());
    accuracy.push(acc);
    if (global.gc) global.gc();
    rss[String(epoch)] = rssMiB();
    heap[String(epoch)] = process.memoryUsage().heapUsed / 2 ** 20;
  }
  return {
    recipe, epochs, epoch_seconds: epochSeconds, test_accuracy: accuracy, rss_mib: rss, heap_used_mib: heap,
    final_loss: loss ? loss.item() : null, steps_per_epoch: loader.length,
    wasm: wasm.wasmKernelInfo().mode, threads: wasm.wasmKernelInfo().workers + 1, gemm: device === "cpu" ? gemmPath() : device,
  };
}

/** "native (OpenBLAS config)" when the native GEMM served the products, else "wasm" (KERNEL_LIB_BLAS=off or not built). */
function gemmPath() {
  const info = native.nativeBlasInfo();
  return info.available ? `native (${info.config}, kernels ${info.core}, ${info.threads} threads)` : "wasm";
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [recipe, epochs, ...rest] = process.argv.slice(2);
  const i = rest.indexOf("--profile-steps");
  const maxSteps = i >= 0 ? Number(rest[i + 1]) : Infinity;
  console.log(JSON.stringify(await trainKernelLibMnist(recipe, Number(epochs), { maxSteps })));
}

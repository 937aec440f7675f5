// CPU time per training step of the two MNIST recipes (process.cpuUsage: user+system of all threads), which a
// loaded machine inflates far less than wall time: for A/B comparisons of two checkouts on a shared machine.
// node --experimental-wasm-relaxed-simd bench/cpu_steps.mjs RECIPE STEPS [CHECKOUT]  -> one JSON line
// (CHECKOUT: another checkout's root, built, to measure its kernel-lib/dist; default this one). 50 warm-up steps.
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
const [recipe, stepsArg, treeArg] = process.argv.slice(2);
const tree = treeArg ? resolve(treeArg) : resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(`${tree}/bench/x.mjs`);
const { torch } = require(`${tree}/kernel-lib/dist/index.js`);
const { nn, optim } = torch;
const R = {
  adam256: { sizes: [784, 256, 10], batch: 256, opt: (p) => new optim.Adam(p, { lr: 1e-3 }) },
  sgd12: { sizes: [784, 512, 256, 128, 64, 10], batch: 12, opt: (p) => new optim.SGD(p, { lr: 0.01 }) },
}[recipe];
torch.manualSeed(0);
const ds = new torch.datasets.MNIST({ train: true });
const n = ds.length;
const x = ds.data.reshape([n, 784]).float().div(255), y = ds.targets;
const loader = new torch.utils.data.DataLoader(new torch.utils.data.TensorDataset(x, y), { batchSize: R.batch, shuffle: true });
const layers = [];
for (let i = 0; i < R.sizes.length - 1; i++) { layers.push(new nn.Linear(R.sizes[i], R.sizes[i + 1])); if (i < R.sizes.length - 2) layers.push(new nn.ReLU()); }
const model = new nn.Sequential(...layers);
const opt = R.opt(model.parameters());
const steps = Number(stepsArg), warm = Math.min(50, steps);
let k = 0, c0, t0, loss;
// As many epochs as the step count needs (adam256 has only 235 steps an epoch).
while (k < warm + steps) {
  for (const [xb, yb] of loader) {
    if (k === warm) { c0 = process.cpuUsage(); t0 = performance.now(); }
    loss = nn.functional.crossEntropy(model.forward(xb), yb);
    opt.zeroGrad(); loss.backward(); opt.step(); loss.item();
    if (++k >= warm + steps) break;
  }
}
const c = process.cpuUsage(c0);
console.log(JSON.stringify({ recipe, steps, cpu_us_per_step: (c.user + c.system) / steps, wall_ms_per_step: (performance.now() - t0) / steps, loss: loss.item() }));

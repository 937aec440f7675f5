// Per-call cost of the PyTorch-spelling machinery (issue 12): a callable module, the indexing proxy at the top of
// Tensor's prototype chain, and what every op pays for them (tensor construction, property access).
// Usage: node bench/api_overhead.mjs [path/to/kernel-lib/dist]   (default: this checkout's build)
// Run it against an older build and this one alternately; the machine is shared, so compare best-of-runs.
import { createRequire } from "node:module";
import * as path from "node:path";

const require = createRequire(import.meta.url);
const dist = path.resolve(process.argv[2] ?? new URL("../kernel-lib/dist", import.meta.url).pathname);
const { torch } = require(path.join(dist, "index.js"));
const { nn } = torch;

/** Best of `rounds` timings of `iters` calls, in ns per call. */
function bench(name, iters, fn, rounds = 7) {
  for (let i = 0; i < iters; i++) fn(); // warm up
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iters; i++) fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / iters);
  }
  return [name, best];
}

const a = torch.ones([4]);
const b = torch.ones([4]);
const big = torch.ones([256, 784]);
const lin = new nn.Linear(4, 4);
const x = torch.ones([2, 4]);
const m = torch.ones([8, 4]);
const callable = typeof lin === "function";
const rows = [
  bench("add of two 4-element tensors (construction + op dispatch)", 200_000, () => a.add(b)),
  bench("tensor.shape / .dtype / .numel() reads", 2_000_000, () => a.shape.length + a.dtype.length + a.numel()),
  bench("new tensor [4] (torch.zeros)", 200_000, () => torch.zeros([4])),
  bench("Linear(4,4).forward on [2,4]", 100_000, () => lin.forward(x)),
  bench("relu of [256,784]", 2_000, () => big.relu()),
];
if (callable) rows.push(bench("Linear(4,4)(x) on [2,4] (the callable)", 100_000, () => lin(x)));
rows.push(bench("select(0, 3) of [8,4]", 200_000, () => m.select(0, 3)));
if (m[3] !== undefined) rows.push(bench("m[3] of [8,4] (the indexing proxy)", 200_000, () => m[3]));
console.log(JSON.stringify({ dist: path.relative(process.cwd(), dist) || ".", callable, rows: Object.fromEntries(rows.map(([n, v]) => [n, Number(v.toFixed(1))])) }));

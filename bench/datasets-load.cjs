// Load times of the image datasets (run `npm run build` first): node bench/datasets-load.cjs
const path = require("node:path");
const ds = require(path.join(__dirname, "..", "kernel-lib", "dist", "datasets", "index.js"));

function time(label, fn, repeat = 5) {
  let best = Infinity;
  let result;
  for (let r = 0; r < repeat; r++) {
    const t0 = process.hrtime.bigint();
    result = fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  console.log(`${label.padEnd(44)} ${best.toFixed(1).padStart(8)} ms (best of ${repeat})`);
  return result;
}

const train = time("MNIST train (raw IDX, 47 MB)", () => new ds.MNIST({ train: true }));
time("MNIST test", () => new ds.MNIST({ train: false }));
const fashion = time("FashionMNIST train (gzip, 26 MB)", () => new ds.FashionMNIST({ train: true, download: false }));
console.log(`  (FashionMNIST read from ${fashion.files.dir})`);
time("FashionMNIST test", () => new ds.FashionMNIST({ train: false, download: false }));
const indices = Array.from({ length: 256 }, (_, i) => (i * 7919) % train.length);
time("getBatch(256) [256,1,28,28]", () => train.getBatch(indices), 50);
time("one epoch of getBatch(256) (235 batches)", () => {
  for (let b = 0; b < 235; b++) train.getBatch(indices);
}, 3);
time("getItem x 60000", () => {
  for (let i = 0; i < train.length; i++) train.getItem(i);
}, 3);

// The lecture's own MNIST loop (seed 001) in kernel-lib, as notebooks/08-mnist-mlp writes it: a DataLoader over
// torch.datasets.MNIST (ToTensor scaling) with batch 12 and shuffling, the 784-512-256-128-64-10 MLP with
// x.view(-1, 784), SGD 0.01, loss.item() every step; STEPS mini-batches timed after a 50-step warm-up, then the
// test set with torch.max(outputs, 1). The twin of bench/lecture_loop.py. Usage: node bench/lecture_loop_kernel_lib.mjs STEPS
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { torch } = require("../kernel-lib/dist/index.js");
const native = require("../kernel-lib/dist/backends/cpu/native.js");
const wasm = require("../kernel-lib/dist/backends/cpu/wasm/index.js");
const { nn, optim } = torch;

class MLP extends nn.Module {
  inDim = 28 * 28;
  fc1 = new nn.Linear(this.inDim, 512);
  fc2 = new nn.Linear(512, 256);
  fc3 = new nn.Linear(256, 128);
  fc4 = new nn.Linear(128, 64);
  fc5 = new nn.Linear(64, 10);
  relu = new nn.ReLU();
  forward(x) {
    const a1 = this.relu(this.fc1(x.view(-1, this.inDim)));
    const a2 = this.relu(this.fc2(a1));
    const a3 = this.relu(this.fc3(a2));
    const a4 = this.relu(this.fc4(a3));
    return this.fc5(a4);
  }
}

const steps = Number(process.argv[2]);
const warmup = 50;
torch.manualSeed(0);
const tLoad = performance.now();
const trainData = new torch.datasets.MNIST({ train: true });
const testData = new torch.datasets.MNIST({ train: false });
const loadSeconds = (performance.now() - tLoad) / 1000;
const trainLoader = new torch.utils.data.DataLoader(trainData, { batchSize: 12, shuffle: true });
const testLoader = new torch.utils.data.DataLoader(testData, { batchSize: 12 });
const model = new MLP();
const criterion = new nn.CrossEntropyLoss();
const optimizer = new optim.SGD(model.parameters(), { lr: 0.01 });
let runningLoss = 0;
let i = 0;
let t0 = 0;
for (const [inputs, labels] of trainLoader) {
  if (i === warmup) t0 = performance.now();
  if (i === warmup + steps) break;
  optimizer.zeroGrad();
  const outputs = model(inputs);
  const loss = criterion(outputs, labels);
  loss.backward();
  optimizer.step();
  runningLoss += loss.item();
  i++;
}
const trainSeconds = (performance.now() - t0) / 1000;
const t1 = performance.now();
let correct = 0, total = 0;
torch.noGrad(() => {
  for (const [inputs, labels] of testLoader) {
    const outputs = model(inputs);
    const predicted = torch.max(outputs, 1).indices;
    total += labels.shape[0];
    correct += labels.eq(predicted).sum().item();
  }
});
const evalSeconds = (performance.now() - t1) / 1000;
const info = native.nativeBlasInfo();
console.log(JSON.stringify({
  steps, train_seconds: trainSeconds, eval_seconds: evalSeconds, load_seconds: loadSeconds, test_accuracy: correct / total,
  gemm: info.available ? `native (${info.threads} threads)` : "wasm", threads: info.available ? info.threads : wasm.wasmKernelInfo().workers + 1,
}));

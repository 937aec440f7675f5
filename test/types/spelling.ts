// The PyTorch spellings of issue 12, each written as the student's line in a notebook cell. Checked two ways:
// by test/api-types.test.ts (compiled against the built declarations with tslab's TypeScript 5.0 and options;
// the repo's tsconfig.json leaves this folder to it) and run by test/pytorch-spelling.test.ts.
import { torch, nn, F, optim, utils, datasets, transforms, len, iter, next } from "../../kernel-lib/src/index";

// (1) forward returns a tuple, as `return logits, probas`
class MultilayerPerceptron extends torch.nn.Module {
  linear1 = new torch.nn.Linear(4, 3);
  linearOut = new torch.nn.Linear(3, 2);
  name = "mlp"; // a field that a function object's own `name` would collide with
  override forward(x: torch.Tensor): [torch.Tensor, torch.Tensor] {
    const h = torch.relu(this.linear1(x)); // (3) a sub-module is called as a function
    const logits = this.linearOut(h);
    const probas = torch.nn.functional.softmax(logits, 1);
    return [logits, probas];
  }
}

// (3) a module typed as the base class is callable too (its forward may return anything)
function predict(model: torch.nn.Module, x: torch.Tensor): torch.Tensor {
  return model(x).argmax(1);
}

export function callableModules() {
  torch.manualSeed(0);
  const model = new MultilayerPerceptron();
  const x = torch.randn([5, 4]);
  const [logits, probas] = model(x); // (1) + (3)
  const [viaForward] = model.forward(x);
  const criterion = new torch.nn.CrossEntropyLoss();
  const loss = criterion(logits, torch.tensor([0, 1, 0, 1, 1], { dtype: "int32" })); // (3) losses are callable
  const seq = new torch.nn.Sequential(new torch.nn.Linear(4, 2), new torch.nn.ReLU());
  const y = seq(x);
  return { logits, probas, viaForward, loss, name: model.name, y, predicted: predict(model.linear1, x), model };
}

// (2) tensors and datasets index like PyTorch's
export function indexing() {
  const t = torch.arange(12).reshape(3, 4);
  const row: torch.Tensor = t[1];
  const last = t[-1];
  const element = t[2][3];
  t[0] = torch.tensor(-1);
  const ds = new torch.utils.data.TensorDataset(torch.arange(6).reshape(3, 2), torch.tensor([7, 8, 9]));
  const [features, label] = ds[0];
  const lastSample = ds[-1];
  return { t, row, last, element, features, label, lastSample };
}

// misuses that must stay compile errors (checked by @ts-expect-error under tslab's compiler)
export function typeErrors(model: MultilayerPerceptron, x: torch.Tensor): void {
  // @ts-expect-error the call is typed by forward: a number is not a Tensor
  model(5);
  // @ts-expect-error forward takes one argument
  model(x, x);
  // @ts-expect-error the call returns forward's tuple, not a Tensor
  model(x).argmax(1);
}

// (4) namespaces imported from "kernel-lib" work as types in later cells
class Net extends nn.Module {
  fc1: nn.Linear = new nn.Linear(4, 8);
  fc2 = new nn.Linear(8, 3);
  override forward(x: torch.Tensor): torch.Tensor {
    return this.fc2(F.relu(this.fc1(x)));
  }
}

// (8) a helper typed with the bare DataLoader takes any loader
function countBatches(loader: torch.utils.data.DataLoader): number {
  let n = 0;
  for (const _batch of loader) n++;
  return n;
}
// the MNIST loader's type, DataLoader<[Tensor, number]>, passed to the helper
function mnistBatches(loader: torch.utils.data.DataLoader<[torch.Tensor, number]>, mnist: datasets.MNIST): number {
  return countBatches(loader) + countBatches(new utils.data.DataLoader(mnist, { batchSize: 64 }));
}
function firstImages(loader: utils.data.DataLoader): unknown {
  return next(iter(loader));
}

export function keywordsAndNamespaces() {
  torch.manualSeed(0);
  const net = new Net();
  const x = torch.randn([6, 4]);
  const out = net(x);
  // (5) keywords as an options object, and PyTorch's positional forms
  const p1 = F.softmax(out, { dim: 1 });
  const p2 = torch.softmax(out, 1);
  const { values, indices } = torch.max(out, { dim: 1 });
  const [v2] = torch.max(out, 1);
  const a1 = out.argmax({ dim: 1 });
  const s0 = out.sum({ dim: 0 });
  const s1 = out.sum({ dim: 1, keepdim: true });
  const m1 = out.mean(1, true);
  const sgd = new optim.SGD(net.parameters(), 0.01);
  const sgdMomentum = new optim.SGD(net.parameters(), 0.01, 0.9);
  const adam = new optim.Adam(net.parameters(), 1e-3);
  const ds = new utils.data.TensorDataset(x, torch.tensor([0, 1, 2, 0, 1, 2], { dtype: "int32" }));
  const loader = new utils.data.DataLoader(ds, 4, true);
  const loaderKw = new utils.data.DataLoader(ds, { batchSize: 2, shuffle: false, numWorkers: 2 });
  const batches = countBatches(loader) + countBatches(loaderKw);
  void firstImages;
  void mnistBatches;
  // (6) iteration and len
  const rows: number[] = [];
  for (const row of x) rows.push(row.shape[0]);
  const lengths = [len(x), len(ds), len(loader), len([1, 2, 3])];
  // (7) device strings
  const onCpu = x.to("cpu");
  const netOnCpu = net.to("cpu:0");
  const toTensor = transforms.ToTensor();
  return { p1, p2, values, indices, v2, a1, s0, s1, m1, sgd, sgdMomentum, adam, batches, rows, lengths, onCpu, netOnCpu, toTensor, x, loader };
}

// (4) the hint's spelling for `const nn = torch.nn` used as a type: an import alias is a value and a type
import nnAlias = torch.nn;
export function aliasAsType(): nnAlias.Linear {
  return new nnAlias.Linear(2, 2);
}

// (5) the remaining keyword parameters as options objects, next to their positional forms
export function moreKeywords() {
  const a = torch.arange(6, { dtype: "float32" }).reshape(2, 3);
  const b = torch.ones([2, 3]);
  return {
    cat: [torch.cat([a, b], { dim: 1 }), torch.cat([a, b], 1)],
    stack: [torch.stack([a, b], { dim: 2 }), torch.stack([a, b], 2)],
    unsqueeze: [a.unsqueeze({ dim: 0 }), a.unsqueeze(0), torch.unsqueeze(a, { dim: -1 })],
    squeeze: [a.unsqueeze(1).squeeze({ dim: 1 }), a.unsqueeze(1).squeeze(1), torch.squeeze(a.unsqueeze(0), { dim: 0 })],
    flatten: [a.reshape(2, 3, 1).flatten({ startDim: 1 }), a.reshape(2, 3, 1).flatten(1), torch.flatten(a.reshape(1, 2, 3), { startDim: 0, endDim: 1 })],
    norm: [a.norm({ p: 1, dim: 1, keepdim: true }), a.norm(1, 1, true), torch.norm(a, 2, { dim: 0 }), torch.norm(a, 2, 0)],
    logsumexp: [torch.logsumexp(a, { dim: 1, keepdim: true }), torch.logsumexp(a, 1, true)],
    std: [a.std({ dim: 1, keepdim: true, unbiased: false }), a.std(1, false, true), torch.std(a, 1, { correction: 0, keepdim: true })],
    var: [a.var({ dim: 0, unbiased: true }), a.var(0), torch.var(a, 0, true)],
  };
}

// (10) torch.autograd.grad(outputs, inputs, { gradOutputs, retainGraph, createGraph })
export function autogradGrad() {
  const x = torch.tensor([1, 2, 3], { requiresGrad: true });
  const w = torch.tensor([0.5, -1, 2], { requiresGrad: true });
  const y = x.mul(w).pow(2).sum();
  const [dx, dw] = torch.autograd.grad(y, [x, w], { retainGraph: true });
  const z = x.pow(3);
  const [dz] = torch.autograd.grad(z, x, { gradOutputs: torch.onesLike(z) });
  return { x, w, y, dx, dw, dz };
}

// (10) one-hot targets with scatter_, as the STAT 453 softmax lecture writes them
export function scatterOneHot() {
  const y = torch.tensor([2, 0, 1], { dtype: "int32" });
  const onehot = torch.zeros([3, 4]).scatter_(1, y.unsqueeze(1), 1);
  const placed = torch.zeros([3, 4]).scatter(1, y.unsqueeze(1), torch.tensor([[5], [6], [7]]));
  return { onehot, placed };
}

// (10) torchvision's download= on the datasets
export function datasetDownload() {
  const withDownload = new datasets.MNIST({ root: "data", train: false, download: true });
  const offline = new datasets.MNIST({ root: "data", train: false, download: false });
  return { withDownload, offline };
}

// (10) torchvision.utils.make_grid, as the lab's image grid uses it
export function imageGrid(images: torch.Tensor) {
  const grid = utils.makeGrid(images, { nrow: 4, padding: 2, normalize: true });
  const positional = utils.makeGrid(images, 4);
  return { grid, positional, hwc: grid.permute(1, 2, 0) };
}

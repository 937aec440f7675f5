// Every name docs/API.md lists, reached through the public entry exactly as a notebook reaches it, with its
// documented behaviour. (The d2l training helpers are in api-conformance-d2l-training.test.ts.)
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { torch, d2l } from "../kernel-lib/src/index";
import { tinyDataset } from "./datasets-helpers";

const nn = torch.nn;
const F = torch.nn.functional;
type T = torch.Tensor;

const LN2 = Math.log(2);
const ints = (xs: number[]) => torch.tensor(xs, { dtype: "int32" });

function close(t: T, expected: number[] | number[][] | number, digits = 5): void {
  const got = t.tolist();
  const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);
  const g = flat(got), e = flat(expected);
  expect(g.length).toBe(e.length);
  g.forEach((v, i) => expect(v).toBeCloseTo(e[i], digits));
}

beforeEach(() => torch.manualSeed(0));

describe("torch: namespaces and dtypes", () => {
  it("torch and d2l are namespaces whose classes are values", () => {
    expect(typeof torch.Tensor).toBe("function");
    expect(typeof torch.nn.Module).toBe("function");
    expect(typeof torch.nn.Linear).toBe("function");
    expect(typeof d2l.Animator).toBe("function");
    expect(torch.zeros(1)).toBeInstanceOf(torch.Tensor);
  });
  it("plain numbers make float32; int32 comes from the dtype option; both options and dtype constants work", () => {
    expect(torch.tensor([1, 2, 3]).dtype).toBe("float32");
    expect(torch.tensor(3).shape).toEqual([]);
    expect(torch.tensor([1, 2], { dtype: "int32" }).dtype).toBe("int32");
    expect(torch.tensor([1, 2], { dtype: torch.long }).dtype).toBe("int32");
    expect(torch.tensor([1, 2], { dtype: torch.float64 }).dtype).toBe("float64");
    expect(torch.tensor(new Int32Array([1, 2])).dtype).toBe("int32");
    expect(torch.tensor([[true, false]]).dtype).toBe("bool");
    const x = torch.ones(2, { requiresGrad: true, device: "cpu" });
    expect(x.requiresGrad).toBe(true);
    expect(x.device).toBe("cpu");
  });
});

describe("torch: creation", () => {
  it("tensor copies numbers, nested arrays and typed arrays", () => {
    expect(torch.tensor([[1, 2], [3, 4]]).tolist()).toEqual([[1, 2], [3, 4]]);
    const src = new Float32Array([1, 2]);
    const t = torch.tensor(src);
    src[0] = 9;
    expect(t.tolist()).toEqual([1, 2]);
    expect(torch.tensor(2.5).item()).toBe(2.5);
  });
  const shaped: [string, (...a: never[]) => T][] = [
    ["zeros", torch.zeros as never], ["ones", torch.ones as never], ["empty", torch.empty as never],
    ["randn", torch.randn as never], ["rand", torch.rand as never],
  ];
  for (const [name, fn] of shaped) {
    it(`${name}(2, 3) and ${name}([2, 3]) agree, with options last`, () => {
      const f = fn as unknown as (...a: unknown[]) => T;
      expect(f(2, 3).shape).toEqual([2, 3]);
      expect(f([2, 3]).shape).toEqual([2, 3]);
      expect(f(4).shape).toEqual([4]);
      expect(f([]).shape).toEqual([]);
      expect(f(2, 3, { dtype: "float64" }).dtype).toBe("float64");
      expect(f([2, 3], { requiresGrad: true }).requiresGrad).toBe(true);
    });
  }
  it("zeros, ones and full fill; full infers bool from a boolean", () => {
    expect(torch.zeros(2).tolist()).toEqual([0, 0]);
    expect(torch.ones([2], { dtype: "int32" }).tolist()).toEqual([1, 1]);
    expect(torch.full([2, 2], 7).tolist()).toEqual([[7, 7], [7, 7]]);
    expect(torch.full(3, 1.5).tolist()).toEqual([1.5, 1.5, 1.5]);
  });
  it("arange(end), arange(start, end), arange(start, end, step) with options", () => {
    expect(torch.arange(4).tolist()).toEqual([0, 1, 2, 3]);
    expect(torch.arange(1, 4).tolist()).toEqual([1, 2, 3]);
    expect(torch.arange(0, 1, 0.25).tolist()).toEqual([0, 0.25, 0.5, 0.75]);
    const x = torch.arange(-8.0, 8.0, 0.1, { requiresGrad: true });
    expect(x.shape).toEqual([160]);
    expect(x.requiresGrad).toBe(true);
    expect(torch.arange(5, { dtype: "int32" }).dtype).toBe("int32");
  });
  it("linspace, eye", () => {
    expect(torch.linspace(0, 1, 5).tolist()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(torch.eye(2).tolist()).toEqual([[1, 0], [0, 1]]);
    expect(torch.eye(2, 3).shape).toEqual([2, 3]);
  });
  it("randn, rand, normal, randint, randperm: right shapes, ranges and moments", () => {
    const r = torch.rand(10000).tolist() as number[];
    expect(Math.min(...r)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...r)).toBeLessThan(1);
    const n = torch.randn(20000);
    expect(n.mean().item()).toBeCloseTo(0, 1);
    expect(n.std().item()).toBeCloseTo(1, 1);
    const g = torch.normal(3, 0.5, [20000]);
    expect(g.mean().item()).toBeCloseTo(3, 1);
    expect(g.std().item()).toBeCloseTo(0.5, 1);
    expect(torch.normal(0, 1, [2, 3]).shape).toEqual([2, 3]);
    const k = torch.randint(2, 5, [1000]);
    expect(k.dtype).toBe("int32");
    expect(new Set(k.tolist() as number[])).toEqual(new Set([2, 3, 4]));
    const p = torch.randperm(6);
    expect(p.dtype).toBe("int32");
    expect([...(p.tolist() as number[])].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });
  it("zerosLike, onesLike, randnLike keep shape and dtype", () => {
    const x = torch.zeros([2, 3], { dtype: "float64" });
    for (const t of [torch.zerosLike(x), torch.onesLike(x), torch.randnLike(x)]) {
      expect(t.shape).toEqual([2, 3]);
      expect(t.dtype).toBe("float64");
    }
    expect(torch.onesLike(x).sum().item()).toBe(6);
  });
  it("manualSeed repeats the same numbers", () => {
    torch.manualSeed(42);
    const a = torch.randn(5).tolist();
    torch.manualSeed(42);
    expect(torch.randn(5).tolist()).toEqual(a);
  });
});

describe("Tensor members", () => {
  it("shape, dtype, device, numel, dim, size", () => {
    const x = torch.zeros(2, 3, 4);
    expect(x.shape).toEqual([2, 3, 4]);
    expect(x.dtype).toBe("float32");
    expect(x.device).toBe("cpu");
    expect(x.numel()).toBe(24);
    expect(x.dim()).toBe(3);
    expect(x.size()).toEqual([2, 3, 4]);
    expect(x.size(1)).toBe(3);
    expect(x.size(-1)).toBe(4);
  });
  it("requiresGrad, grad, isLeaf, backward with a gradient and retainGraph (the API.md example)", () => {
    const x = torch.arange(-2.0, 2.0, 1.0, { requiresGrad: true });
    const y = torch.relu(x);
    expect(x.isLeaf).toBe(true);
    expect(y.isLeaf).toBe(false);
    expect(y.requiresGrad).toBe(true);
    y.backward(torch.onesLike(x), { retainGraph: true });
    expect(x.grad!.tolist()).toEqual([0, 0, 0, 1]); // relu'(0) = 0 as in PyTorch
    y.backward(torch.onesLike(x));
    expect(x.grad!.tolist()).toEqual([0, 0, 0, 2]); // gradients accumulate
  });
  it("backward() of a scalar; backward({ retainGraph }) with the options first", () => {
    const w = torch.tensor([1, 2, 3], { requiresGrad: true });
    const l = w.mul(w).sum();
    l.backward({ retainGraph: true });
    l.backward();
    expect(w.grad!.tolist()).toEqual([4, 8, 12]);
  });
  it("detach, clone, data", () => {
    const x = torch.ones(2, { requiresGrad: true });
    const d = x.detach();
    expect(d.requiresGrad).toBe(false);
    const c = x.clone();
    expect(c.requiresGrad).toBe(true);
    expect(c.isLeaf).toBe(false);
    torch.noGrad(() => d.fill_(5)); // detach shares storage, like PyTorch
    expect(x.tolist()).toEqual([5, 5]);
    expect(c.tolist()).toEqual([1, 1]);
    expect(x.data.requiresGrad).toBe(false);
    x.data.zero_(); // PyTorch's .data: shares storage, outside the graph
    expect(x.tolist()).toEqual([0, 0]);
  });
  it("item, tolist", () => {
    expect(torch.tensor([[3.5]]).item()).toBe(3.5);
    expect(torch.arange(6).reshape(2, 3).tolist()).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(torch.tensor(7).tolist()).toBe(7);
  });
  it("reshape and view with -1 (numbers or an array), flatten, T, transpose, unsqueeze, squeeze", () => {
    const x = torch.arange(6);
    expect(x.reshape(2, -1).shape).toEqual([2, 3]);
    expect(x.reshape([-1, 2]).shape).toEqual([3, 2]);
    expect(x.view(3, 2).tolist()).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(x.view([1, 6]).shape).toEqual([1, 6]);
    const m = x.reshape(2, 3);
    expect(m.T.tolist()).toEqual([[0, 3], [1, 4], [2, 5]]);
    expect(m.transpose(0, 1).tolist()).toEqual(m.T.tolist());
    expect(torch.zeros(2, 3, 4).flatten().shape).toEqual([24]);
    expect(torch.zeros(2, 3, 4).flatten(1).shape).toEqual([2, 12]);
    expect(x.unsqueeze(0).shape).toEqual([1, 6]);
    expect(x.unsqueeze(-1).shape).toEqual([6, 1]);
    expect(torch.zeros(1, 3, 1).squeeze().shape).toEqual([3]);
    expect(torch.zeros(1, 3, 1).squeeze(0).shape).toEqual([3, 1]);
  });
  it("reshape and view share storage with the original (PyTorch views)", () => {
    const x = torch.zeros(2, 3);
    const v = x.view(6);
    v.fill_(1);
    expect(x.sum().item()).toBe(6);
  });
  it("add sub mul div pow with tensors and numbers, broadcasting NumPy-style", () => {
    const a = torch.tensor([[1, 2, 3], [4, 5, 6]]);
    const b = torch.tensor([10, 20, 30]);
    expect(a.add(b).tolist()).toEqual([[11, 22, 33], [14, 25, 36]]);
    expect(a.add(1).tolist()).toEqual([[2, 3, 4], [5, 6, 7]]);
    expect(a.sub(b.reshape(3)).tolist()).toEqual([[-9, -18, -27], [-6, -15, -24]]);
    expect(a.mul(torch.tensor([[2], [3]])).tolist()).toEqual([[2, 4, 6], [12, 15, 18]]);
    expect(a.div(2).tolist()).toEqual([[0.5, 1, 1.5], [2, 2.5, 3]]);
    expect(a.pow(2).tolist()).toEqual([[1, 4, 9], [16, 25, 36]]);
    expect(torch.tensor([2]).pow(torch.tensor([3])).item()).toBe(8);
    expect(ints([7]).div(2).item()).toBe(3.5); // true division, as PyTorch's /
  });
  it("neg exp log sqrt abs", () => {
    const x = torch.tensor([1, 4]);
    expect(x.neg().tolist()).toEqual([-1, -4]);
    close(x.exp(), [Math.E, Math.exp(4)], 3);
    close(x.log(), [0, Math.log(4)]);
    expect(x.sqrt().tolist()).toEqual([1, 2]);
    expect(torch.tensor([-2, 3]).abs().tolist()).toEqual([2, 3]);
  });
  it("matmul of matrices, a matrix and a vector, and batches", () => {
    const a = torch.tensor([[1, 2], [3, 4]]);
    expect(a.matmul(torch.tensor([[1, 0], [0, 1]])).tolist()).toEqual([[1, 2], [3, 4]]);
    expect(a.matmul(torch.tensor([1, 1])).tolist()).toEqual([3, 7]);
    expect(torch.ones(5, 2, 3).matmul(torch.ones(3, 4)).shape).toEqual([5, 2, 4]);
  });
  it("sum(dim?, keepdim?) and mean", () => {
    const x = torch.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(x.sum().item()).toBe(21);
    expect(x.sum(0).tolist()).toEqual([5, 7, 9]);
    expect(x.sum(1, true).tolist()).toEqual([[6], [15]]);
    expect(x.mean().item()).toBe(3.5);
    expect(x.mean(1).tolist()).toEqual([2, 5]);
  });
  it("max / min: the element, or { values, indices } with a dim, destructurable as a pair", () => {
    const x = torch.tensor([[1, 9, 3], [7, 2, 8]]);
    expect(x.max().item()).toBe(9);
    expect(x.min().item()).toBe(1);
    const { values, indices } = x.max(1);
    expect(values.tolist()).toEqual([9, 8]);
    expect(indices.tolist()).toEqual([1, 2]);
    expect(indices.dtype).toBe("int32");
    const [minValues, minIndices] = x.min(0);
    expect(minValues.tolist()).toEqual([1, 2, 3]);
    expect(minIndices.tolist()).toEqual([0, 1, 0]);
  });
  it("argmax(dim?)", () => {
    const x = torch.tensor([[1, 9, 3], [7, 2, 8]]);
    expect(x.argmax().item()).toBe(1);
    expect(x.argmax(1).tolist()).toEqual([1, 2]);
    expect(x.argmax(1).dtype).toBe("int32");
  });
  it("relu sigmoid tanh softmax(dim) logSoftmax(dim)", () => {
    expect(torch.tensor([-1, 0, 2]).relu().tolist()).toEqual([0, 0, 2]);
    expect(torch.tensor([0]).sigmoid().item()).toBe(0.5);
    expect(torch.tensor([0]).tanh().item()).toBe(0);
    close(torch.tensor([[1, 1], [0, Math.log(3)]]).softmax(1), [[0.5, 0.5], [0.25, 0.75]]);
    close(torch.tensor([[0, 0]]).logSoftmax(-1), [[-LN2, -LN2]]);
  });
  it("eq ne gt lt ge le give bool tensors, against tensors or numbers", () => {
    const x = torch.tensor([1, 2, 3]);
    expect(x.eq(2).dtype).toBe("bool");
    expect(x.eq(torch.tensor([1, 0, 3])).tolist()).toEqual([1, 0, 1]);
    expect(x.ne(2).tolist()).toEqual([1, 0, 1]);
    expect(x.gt(2).tolist()).toEqual([0, 0, 1]);
    expect(x.lt(2).tolist()).toEqual([1, 0, 0]);
    expect(x.ge(2).tolist()).toEqual([0, 1, 1]);
    expect(x.le(2).tolist()).toEqual([1, 1, 0]);
    // the accuracy idiom: argmax (int32) compared with int32 labels, summed as float
    const correct = torch.tensor([[0.1, 0.9], [0.8, 0.2]]).argmax(1).eq(ints([1, 1])).float().sum();
    expect(correct.item()).toBe(1);
  });
  it("float, int, to(device), to(dtype)", () => {
    expect(torch.tensor([1.7, -1.7]).int().tolist()).toEqual([1, -1]); // truncation, as PyTorch
    expect(ints([1]).float().dtype).toBe("float32");
    const x = torch.ones(2);
    expect(x.to("cpu").device).toBe("cpu");
    expect(x.to("float64").dtype).toBe("float64");
    expect(x.to(torch.device("cpu")).tolist()).toEqual([1, 1]);
  });
  it("indexSelect(dim, index) and narrow(dim, start, length)", () => {
    const x = torch.arange(12).reshape(3, 4);
    expect(x.indexSelect(0, ints([2, 0])).tolist()).toEqual([[8, 9, 10, 11], [0, 1, 2, 3]]);
    expect(x.indexSelect(1, ints([1])).tolist()).toEqual([[1], [5], [9]]);
    expect(x.narrow(1, 1, 2).tolist()).toEqual([[1, 2], [5, 6], [9, 10]]);
  });
  it("norm", () => {
    expect(torch.tensor([3, 4]).norm().item()).toBe(5);
    expect(torch.tensor([3, -4]).norm(1).item()).toBe(7);
  });
  it("in-place add_ sub_ mul_ zero_ copy_ fill_ normal_ uniform_ return the tensor itself", () => {
    const x = torch.ones(3);
    expect(x.add_(1)).toBe(x);
    expect(x.tolist()).toEqual([2, 2, 2]);
    x.sub_(torch.tensor([1, 0, 1]));
    expect(x.tolist()).toEqual([1, 2, 1]);
    x.mul_(3);
    expect(x.tolist()).toEqual([3, 6, 3]);
    x.zero_();
    expect(x.tolist()).toEqual([0, 0, 0]);
    x.copy_(torch.tensor([4, 5, 6]));
    expect(x.tolist()).toEqual([4, 5, 6]);
    x.fill_(1.5);
    expect(x.tolist()).toEqual([1.5, 1.5, 1.5]);
    const big = torch.empty(20000);
    big.normal_(2, 0.5);
    expect(big.mean().item()).toBeCloseTo(2, 1);
    big.uniform_(-1, 1);
    expect(big.min().item()).toBeGreaterThanOrEqual(-1);
    expect(big.max().item()).toBeLessThan(1);
  });
  it("requiresGrad_ turns a from-scratch parameter into a leaf that collects gradients", () => {
    const w = torch.normal(0, 0.01, [3, 1]).requiresGrad_();
    expect(w.requiresGrad).toBe(true);
    expect(w.isLeaf).toBe(true);
    torch.matmul(torch.ones(2, 3), w).sum().backward();
    expect(w.grad!.tolist()).toEqual([[2], [2], [2]]);
    torch.noGrad(() => {
      w.sub_(w.grad!.mul(0.1));
      w.grad!.zero_();
    });
    expect(w.grad!.sum().item()).toBe(0);
  });
});

describe("torch functions", () => {
  const x = () => torch.tensor([[-1, 2], [3, -4]]);
  it("relu sigmoid tanh exp log", () => {
    expect(torch.relu(x()).tolist()).toEqual([[0, 2], [3, 0]]);
    close(torch.sigmoid(torch.tensor([0, 100])), [0.5, 1]);
    close(torch.tanh(torch.tensor([0, 100])), [0, 1]);
    close(torch.exp(torch.tensor([0, 1])), [1, Math.E]);
    close(torch.log(torch.tensor([1, Math.E])), [0, 1]);
  });
  it("matmul sum mean max min argmax", () => {
    expect(torch.matmul(x(), torch.tensor([1, 1])).tolist()).toEqual([1, -1]);
    expect(torch.sum(x()).item()).toBe(0);
    expect(torch.sum(x(), 1).tolist()).toEqual([1, -1]);
    expect(torch.mean(x(), 0, true).tolist()).toEqual([[1, -1]]);
    expect(torch.max(x()).item()).toBe(3);
    const [values, predicted] = torch.max(x(), 1); // `_, predicted = torch.max(outputs, 1)`
    expect(values.tolist()).toEqual([2, 3]);
    expect(predicted.tolist()).toEqual([1, 0]);
    expect(torch.max(x(), torch.zerosLike(x())).tolist()).toEqual([[0, 2], [3, 0]]);
    expect(torch.min(x()).item()).toBe(-4);
    expect(torch.min(x(), 0).indices.tolist()).toEqual([0, 1]);
    expect(torch.argmax(x(), 1).tolist()).toEqual([1, 0]);
  });
  it("cat stack", () => {
    const a = torch.zeros(2, 3), b = torch.ones(1, 3);
    expect(torch.cat([a, b]).shape).toEqual([3, 3]);
    expect(torch.cat([a, torch.ones(2, 1)], 1).shape).toEqual([2, 4]);
    expect(torch.stack([a, a]).shape).toEqual([2, 2, 3]);
    expect(torch.stack([a, a], 1).shape).toEqual([2, 2, 3]);
    expect(torch.stack([torch.tensor(1), torch.tensor(2)]).tolist()).toEqual([1, 2]);
  });
  it("where maximum minimum clamp norm", () => {
    expect(torch.where(x().gt(0), x(), 0).tolist()).toEqual([[0, 2], [3, 0]]);
    expect(torch.maximum(x(), torch.tensor(0)).tolist()).toEqual([[0, 2], [3, 0]]);
    expect(torch.minimum(x(), torch.tensor(0)).tolist()).toEqual([[-1, 0], [0, -4]]);
    expect(torch.clamp(x(), -2, 2).tolist()).toEqual([[-1, 2], [2, -2]]);
    expect(torch.clamp(x(), 0).tolist()).toEqual([[0, 2], [3, 0]]);
    expect(torch.norm(torch.tensor([3, 4])).item()).toBe(5);
  });
  it("noGrad(fn) returns fn's value and records no graph", () => {
    const w = torch.ones(2, { requiresGrad: true });
    const y = torch.noGrad(() => w.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(y.tolist()).toEqual([2, 2]);
    expect(w.mul(2).requiresGrad).toBe(true); // enabled again afterwards
    expect(torch.noGrad(() => 42)).toBe(42);
  });
});

describe("torch.nn.functional", () => {
  const v = (t: T) => t.tolist() as number[];
  it("activations match PyTorch's definitions", () => {
    const x = torch.tensor([-1, 0, 1], { dtype: "float64" });
    expect(v(F.relu(x))).toEqual([0, 0, 1]);
    close(F.leakyRelu(x), [-0.01, 0, 1]);
    close(F.leakyRelu(x, 0.2), [-0.2, 0, 1]);
    close(F.elu(x), [Math.exp(-1) - 1, 0, 1]);
    close(F.elu(x, 2), [2 * (Math.exp(-1) - 1), 0, 1]);
    close(F.gelu(x), [-0.15865525, 0, 0.84134475]);
    close(F.gelu(x, { approximate: "tanh" }), [-0.15880801, 0, 0.84119199]);
    close(F.silu(x), [-0.26894142, 0, 0.73105858]);
    close(F.mish(x), [-0.30340147, 0, 0.86509839]);
    close(F.softplus(x), [0.31326169, LN2, 1.31326169]);
    close(F.softsign(x), [-0.5, 0, 0.5]);
    close(F.hardtanh(torch.tensor([-3, 0.5, 3])), [-1, 0.5, 1]);
    close(F.prelu(x, torch.tensor([0.25], { dtype: "float64" })), [-0.25, 0, 1]);
    close(F.logsigmoid(x), [-1.31326169, -LN2, -0.31326169]);
    close(F.sigmoid(x), [0.26894142, 0.5, 0.73105858]);
    close(F.tanh(x), [-0.76159416, 0, 0.76159416]);
    close(F.softmax(torch.tensor([[0, Math.log(3)]]), 1), [[0.25, 0.75]]);
    close(F.logSoftmax(torch.tensor([[0, 0]]), 1), [[-LN2, -LN2]]);
  });
  it("crossEntropy from logits with reduction mean / sum / none; nllLoss", () => {
    const logits = torch.tensor([[0, 0], [0, Math.log(3)]]);
    const y = ints([1, 1]);
    const none = F.crossEntropy(logits, y, { reduction: "none" });
    close(none, [LN2, Math.log(4 / 3)]);
    close(F.crossEntropy(logits, y), (LN2 + Math.log(4 / 3)) / 2);
    close(F.crossEntropy(logits, y, { reduction: "sum" }), LN2 + Math.log(4 / 3));
    close(F.nllLoss(torch.tensor([[-1, -2]]), ints([1])), 2);
    // stable for huge logits
    close(F.crossEntropy(torch.tensor([[1000, 0]]), ints([0])), 0);
  });
  it("mseLoss, binaryCrossEntropy, binaryCrossEntropyWithLogits", () => {
    close(F.mseLoss(torch.tensor([1, 2]), torch.tensor([1, 4])), 2);
    close(F.mseLoss(torch.tensor([1, 2]), torch.tensor([1, 4]), { reduction: "sum" }), 4);
    close(F.binaryCrossEntropy(torch.tensor([0.5]), torch.tensor([1])), LN2);
    close(F.binaryCrossEntropyWithLogits(torch.tensor([0]), torch.tensor([1])), LN2);
    close(F.binaryCrossEntropyWithLogits(torch.tensor([200]), torch.tensor([0])), 200);
  });
  it("dropout(x, p, training): identity when not training, scaled mask when training", () => {
    const x = torch.ones(2000);
    expect(F.dropout(x, 0.5, false).tolist()).toEqual(x.tolist());
    const d = F.dropout(x, 0.5, true).tolist() as number[];
    expect(new Set(d)).toEqual(new Set([0, 2]));
    expect(d.filter((e) => e === 0).length / d.length).toBeCloseTo(0.5, 1);
  });
  it("linear(x, w, b) = x wᵀ + b", () => {
    const w = torch.tensor([[1, 0], [0, 1], [1, 1]]);
    expect(F.linear(torch.tensor([[2, 3]]), w, torch.tensor([1, 1, 1])).tolist()).toEqual([[3, 4, 6]]);
    expect(F.linear(torch.tensor([[2, 3]]), w).tolist()).toEqual([[2, 3, 5]]);
  });
});

describe("torch.nn", () => {
  class MLP extends nn.Module {
    hidden = new nn.Linear(4, 3);
    out = new nn.Linear(3, 2);
    scale = new nn.Parameter(torch.ones(1));
    override forward(X: T): T {
      return this.out.forward(torch.relu(this.hidden.forward(X))).mul(this.scale);
    }
  }
  it("a Module subclass finds parameters and sub-modules held in fields, with PyTorch's dotted names", () => {
    const net = new MLP();
    expect(net.namedParameters().map(([n]) => n)).toEqual(["scale", "hidden.weight", "hidden.bias", "out.weight", "out.bias"]);
    expect(net.parameters()).toHaveLength(5);
    expect(net.children()).toEqual([net.hidden, net.out]);
    expect(net.forward(torch.randn(5, 4)).shape).toEqual([5, 2]);
    expect(Object.keys(net.stateDict())).toEqual(["scale", "hidden.weight", "hidden.bias", "out.weight", "out.bias"]);
  });
  it("train / eval / training propagate; zeroGrad clears gradients", () => {
    const net = new nn.Sequential(new nn.Linear(2, 2), new nn.Dropout(0.5));
    expect(net.training).toBe(true);
    net.eval();
    expect(net[1].training).toBe(false);
    net.train();
    expect(net[1].training).toBe(true);
    net.forward(torch.ones(1, 2)).sum().backward();
    expect(net[0].weight.grad).not.toBeNull();
    net.zeroGrad();
    expect(net[0].weight.grad).toBeNull();
  });
  it("to(device) / to(dtype); stateDict / loadStateDict round trip", () => {
    const a = new nn.Linear(3, 2);
    expect(a.to("cpu")).toBe(a);
    const b = new nn.Linear(3, 2);
    b.loadStateDict(a.stateDict());
    expect(b.weight.tolist()).toEqual(a.weight.tolist());
    expect(new nn.Linear(3, 2).to("float64").weight.dtype).toBe("float64");
  });
  it("Linear(in, out, { bias }) has PyTorch's shapes and init bounds", () => {
    const l = new nn.Linear(100, 5);
    expect(l.weight.shape).toEqual([5, 100]);
    expect(l.bias!.shape).toEqual([5]);
    expect(l.weight.abs().max().item()).toBeLessThanOrEqual(0.1);
    expect(new nn.Linear(3, 2, { bias: false }).bias).toBeNull();
    expect(new nn.Linear(3, 2, { bias: false }).parameters()).toHaveLength(1);
  });
  it("Sequential(...modules) with Flatten is indexable and iterable; Identity passes through", () => {
    const net = new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 10));
    expect(net.forward(torch.zeros(4, 1, 28, 28)).shape).toEqual([4, 10]);
    expect(net[1].weight.shape).toEqual([10, 784]);
    expect(net.length).toBe(2);
    expect([...net].length).toBe(2);
    expect(net.namedParameters().map(([n]) => n)).toEqual(["1.weight", "1.bias"]);
    const x = torch.randn(3);
    expect(new nn.Identity().forward(x).tolist()).toEqual(x.tolist());
  });
  it("activation modules agree with their functional forms", () => {
    const x = torch.tensor([[-1, 0.5, 2]], { dtype: "float64" });
    const pairs: [torch.nn.Module, T][] = [
      [new nn.ReLU(), F.relu(x)], [new nn.Sigmoid(), F.sigmoid(x)], [new nn.Tanh(), F.tanh(x)],
      [new nn.LeakyReLU(0.1), F.leakyRelu(x, 0.1)], [new nn.ELU(0.5), F.elu(x, 0.5)], [new nn.GELU(), F.gelu(x)],
      [new nn.SiLU(), F.silu(x)], [new nn.Mish(), F.mish(x)], [new nn.Softplus(), F.softplus(x)],
      [new nn.Softsign(), F.softsign(x)], [new nn.Hardtanh(), F.hardtanh(x)], [new nn.LogSigmoid(), F.logsigmoid(x)],
      [new nn.Softmax(1), F.softmax(x, 1)], [new nn.LogSoftmax(1), F.logSoftmax(x, 1)],
    ];
    for (const [m, expected] of pairs) close(m.forward(x), expected.tolist() as number[][]);
    const prelu = new nn.PReLU();
    expect(prelu.parameters()).toHaveLength(1);
    close(prelu.forward(torch.tensor([-4, 4])), [-1, 4]);
  });
  it("Dropout(p) obeys train() / eval()", () => {
    const d = new nn.Dropout(0.5);
    const x = torch.ones(1000);
    expect(new Set(d.forward(x).tolist() as number[])).toEqual(new Set([0, 2]));
    d.eval();
    expect(d.forward(x).tolist()).toEqual(x.tolist());
  });
  it("loss modules take { reduction }", () => {
    const logits = torch.tensor([[0, 0]]), y = ints([1]);
    close(new nn.CrossEntropyLoss().forward(logits, y), LN2);
    close(new nn.CrossEntropyLoss({ reduction: "none" }).forward(torch.cat([logits, logits]), ints([0, 1])), [LN2, LN2]);
    close(new nn.MSELoss({ reduction: "sum" }).forward(torch.tensor([1, 2]), torch.tensor([0, 0])), 5);
    close(new nn.BCELoss().forward(torch.tensor([0.5]), torch.tensor([0])), LN2);
    close(new nn.BCEWithLogitsLoss().forward(torch.tensor([0]), torch.tensor([0])), LN2);
    close(new nn.NLLLoss().forward(torch.tensor([[-1, -3]]), ints([1])), 3);
    close(new nn.L1Loss().forward(torch.tensor([1, 2]), torch.tensor([0, 0])), 1.5);
  });
  it("nn.init functions fill in place and return the tensor", () => {
    const w = torch.empty(200, 300);
    expect(nn.init.normal_(w, 0, 0.01)).toBe(w);
    expect(w.std().item()).toBeCloseTo(0.01, 3);
    nn.init.uniform_(w, -0.5, 0.5);
    expect(w.abs().max().item()).toBeLessThanOrEqual(0.5);
    expect(nn.init.zeros_(w).sum().item()).toBe(0);
    expect(nn.init.ones_(w).mean().item()).toBe(1);
    expect(nn.init.constant_(w, 3).mean().item()).toBe(3);
    const bound = Math.sqrt(6 / (200 + 300));
    nn.init.xavierUniform_(w);
    expect(w.abs().max().item()).toBeLessThanOrEqual(bound);
    nn.init.xavierNormal_(w);
    expect(w.std().item()).toBeCloseTo(Math.sqrt(2 / 500), 2);
    nn.init.kaimingNormal_(w); // fan_in = 300, gain sqrt(2) for leaky_relu with a = 0
    expect(w.std().item()).toBeCloseTo(Math.sqrt(2 / 300), 2);
    nn.init.kaimingUniform_(w);
    expect(w.abs().max().item()).toBeLessThanOrEqual(Math.sqrt(6 / 300));
  });
  it("init inside net.apply, as the lecture's init_weights", () => {
    const net = new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 10));
    net.apply((m) => {
      if (m instanceof nn.Linear) nn.init.normal_(m.weight, 0, 0.01);
    });
    expect(net[1].weight.std().item()).toBeCloseTo(0.01, 3);
  });
});

describe("torch.optim", () => {
  const quadratic = (make: (p: T[]) => { zeroGrad(): void; step(): unknown }) => {
    const w = torch.tensor([5, -3], { requiresGrad: true });
    const opt = make([w]);
    for (let i = 0; i < 200; i++) {
      opt.zeroGrad();
      w.pow(2).sum().backward();
      opt.step();
    }
    return w;
  };
  it("SGD(params, { lr, momentum, weightDecay }): one step is p - lr·(g + wd·p)", () => {
    const w = torch.tensor([1, 2], { requiresGrad: true });
    const opt = new torch.optim.SGD([w], { lr: 0.1, weightDecay: 0.5 });
    w.sum().backward();
    opt.step();
    close(w, [1 - 0.1 * (1 + 0.5), 2 - 0.1 * (1 + 1)]);
    expect(quadratic((p) => new torch.optim.SGD(p, { lr: 0.1, momentum: 0.9 })).abs().max().item()).toBeLessThan(1e-3);
  });
  it("Adam and AdamW minimize; zeroGrad sets grads to null", () => {
    expect(quadratic((p) => new torch.optim.Adam(p, { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8 })).abs().max().item()).toBeLessThan(0.05);
    expect(quadratic((p) => new torch.optim.AdamW(p, { lr: 0.1, weightDecay: 0.01 })).abs().max().item()).toBeLessThan(0.05);
    const w = torch.ones(1, { requiresGrad: true });
    const opt = new torch.optim.Adam([w], { lr: 1e-3 });
    w.sum().backward();
    opt.zeroGrad();
    expect(w.grad).toBeNull();
  });
  it("Adam's first step moves each parameter by lr (PyTorch's bias correction)", () => {
    const w = torch.tensor([1, -1], { requiresGrad: true });
    const opt = new torch.optim.Adam([w], { lr: 0.01 });
    w.mul(torch.tensor([3, -7])).sum().backward();
    opt.step();
    close(w, [0.99, -0.99]);
  });
});

describe("torch.utils.data", () => {
  const { Dataset, TensorDataset, DataLoader } = torch.utils.data;
  it("TensorDataset items and DataLoader batches [X, y] with .length batches", () => {
    const X = torch.arange(20).reshape(10, 2), y = torch.arange(10, { dtype: "int32" });
    const ds = new TensorDataset(X, y);
    expect(ds.length).toBe(10);
    const [x3, y3] = ds.getItem(3);
    expect(x3.tolist()).toEqual([6, 7]);
    expect(y3.tolist()).toBe(3);
    const loader = new DataLoader(ds, { batchSize: 4 });
    expect(loader.length).toBe(3);
    const batches = [...loader];
    expect(batches.map(([bx]) => bx.shape)).toEqual([[4, 2], [4, 2], [2, 2]]);
    expect(batches[2][1].tolist()).toEqual([8, 9]);
    expect(batches[0][1].dtype).toBe("int32");
    const dropped = new DataLoader(ds, { batchSize: 4, dropLast: true });
    expect(dropped.length).toBe(2);
    expect([...dropped]).toHaveLength(2);
  });
  it("shuffle draws a new order every pass from the seeded generator, covering every sample once", () => {
    const ds = new TensorDataset(torch.arange(10, { dtype: "int32" }));
    const loader = new DataLoader(ds, { batchSize: 10, shuffle: true });
    torch.manualSeed(1);
    const first = [...loader][0][0].tolist() as number[];
    const second = [...loader][0][0].tolist() as number[];
    expect([...first].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(second).not.toEqual(first);
    torch.manualSeed(1);
    expect([...loader][0][0].tolist()).toEqual(first);
  });
  it("a Dataset subclass with getItem and length works in a DataLoader", () => {
    class Squares extends Dataset<[T, number]> {
      get length(): number {
        return 5;
      }
      getItem(i: number): [T, number] {
        return [torch.tensor([i, i * i]), i % 2];
      }
    }
    const batches = [...new DataLoader(new Squares(), { batchSize: 2 })];
    expect(batches).toHaveLength(3);
    expect(batches[1][0].tolist()).toEqual([[2, 4], [3, 9]]);
    expect(batches[1][1].tolist()).toEqual([0, 1]);
  });
  it("randomSplit and Subset", () => {
    const ds = new TensorDataset(torch.arange(10));
    const [a, b] = torch.utils.data.randomSplit(ds, [7, 3]);
    expect([a.length, b.length]).toEqual([7, 3]);
    const seen = [...a.indices, ...b.indices].sort((p, q) => p - q);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const sub = new torch.utils.data.Subset(ds, [9, 0]);
    expect(sub.getItem(0)[0].item()).toBe(9);
  });
});

describe("torch.datasets", () => {
  it("MNIST({ train }) items are [image [1,28,28] in 0..1, int label]; .data uint8 [N,28,28], .targets int32 [N]", () => {
    const test = new torch.datasets.MNIST({ train: false });
    expect(test.length).toBe(10000);
    const [img, label] = test.getItem(0);
    expect(img.shape).toEqual([1, 28, 28]);
    expect(img.dtype).toBe("float32");
    expect(img.max().item()).toBeLessThanOrEqual(1);
    expect(img.min().item()).toBeGreaterThanOrEqual(0);
    expect(Number.isInteger(label)).toBe(true);
    expect(test.data.dtype).toBe("uint8");
    expect(test.data.shape).toEqual([10000, 28, 28]);
    expect(test.targets.dtype).toBe("int32");
    expect(test.targets.shape).toEqual([10000]);
    expect(test.targets.tolist()).toContain(label);
    const [X, y] = [...new torch.utils.data.DataLoader(test, { batchSize: 32 })][0];
    expect(X.shape).toEqual([32, 1, 28, 28]);
    expect(y.dtype).toBe("int32");
  });
  it("FashionMNIST({ root, train }) reads IDX files from root", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "kl-conf-"));
    try {
      const tiny = tinyDataset();
      fs.mkdirSync(path.join(root, tiny.source.folder), { recursive: true });
      for (const [name, bytes] of tiny.files) fs.writeFileSync(path.join(root, tiny.source.folder, name), bytes);
      const train = new torch.datasets.FashionMNIST({ root, train: true, source: tiny.source, download: false });
      const test = new torch.datasets.FashionMNIST({ root, train: false, source: tiny.source, download: false });
      expect([train.length, test.length]).toEqual([6, 4]);
      expect(train.data.dtype).toBe("uint8");
      expect(train.targets.tolist()).toEqual([0, 1, 2, 3, 4, 5]);
      const [img, label] = test.getItem(1);
      expect(img.shape).toEqual([1, 8, 8]);
      expect(label).toBe(1);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
  it("xorData, noisyXor, syntheticData", () => {
    const [X, y] = torch.datasets.xorData();
    expect(X.shape).toEqual([4, 2]);
    expect(y.numel()).toBe(4);
    const [Xn] = torch.datasets.noisyXor(50);
    expect(Xn.shape).toEqual([50, 2]);
    const [Xs, ys] = torch.datasets.syntheticData(torch.tensor([2, -3.4]), 4.2, 100);
    expect(Xs.shape).toEqual([100, 2]);
    expect(ys.shape).toEqual([100, 1]);
  });
});

describe("torch.save / torch.load", () => {
  it("round-trips a state dict through a safetensors file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kl-conf-"));
    try {
      const net = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2));
      const file = path.join(dir, "mlp.safetensors");
      torch.save(net.stateDict(), file);
      const bytes = fs.readFileSync(file);
      const headerLen = Number(bytes.readBigUInt64LE(0));
      const header = JSON.parse(bytes.subarray(8, 8 + headerLen).toString("utf8"));
      expect(header["0.weight"]).toMatchObject({ dtype: "F32", shape: [4, 3] });
      const clone = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2));
      clone.loadStateDict(torch.load(file));
      const x = torch.randn(5, 3);
      expect(clone.forward(x).tolist()).toEqual(net.forward(x).tolist());
      torch.save(torch.arange(3), path.join(dir, "x"));
      expect(torch.load<torch.Tensor>(path.join(dir, "x")).tolist()).toEqual([0, 1, 2]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("d2l display helpers (training helpers: api-conformance-d2l-training.test.ts)", () => {
  afterEach(() => {
    d2l.setDisplayBackend("auto");
  });
  it("plot(X, Y, xlabel, ylabel, { figsize, legend, ... }) shows one figure (the API.md example)", () => {
    const mem = d2l.captureDisplays();
    const x = torch.arange(-8.0, 8.0, 0.1, { requiresGrad: true });
    const y = torch.relu(x);
    d2l.plot(x.detach(), y.detach(), "x", "relu(x)", { figsize: [5, 2.5] });
    y.backward(torch.onesLike(x), { retainGraph: true });
    d2l.plot(x.detach(), x.grad!, "x", "grad of relu", { figsize: [5, 2.5], legend: ["grad"], xlim: [-8, 8], ylim: [-0.1, 1.1] });
    d2l.plot(torch.arange(10), [torch.arange(10), torch.arange(10).pow(2)], "n", "y", { yscale: "log", fmts: ["-", "m--"] });
    d2l.plot([1, 2, 3]);
    expect(mem.displays).toHaveLength(4);
    for (const shown of mem.displays) {
      expect(Object.keys(shown.data).sort()).toEqual(["application/vnd.plotly.v1+json", "image/svg+xml", "text/html", "text/plain"]);
    }
    expect(mem.displays[0].data["image/svg+xml"]).toContain("relu(x)");
  });
  it("Animator({ ... }).add(x, ys) updates one display", () => {
    const mem = d2l.captureDisplays();
    const animator = new d2l.Animator({ xlabel: "epoch", xlim: [1, 3], legend: ["loss", "acc"] });
    for (let e = 1; e <= 3; e++) animator.add(e, [1 / e, e / 3]);
    expect(mem.displays).toHaveLength(1);
    expect(mem.displays[0].updates).toHaveLength(2);
  });
  it("Accumulator(n) sums numbers and one-element tensors; Timer measures", () => {
    const metric = new d2l.Accumulator(3);
    metric.add(1, torch.tensor(2), 3);
    metric.add(1, 1, 1);
    expect([metric.get(0), metric.get(1), metric.get(2)]).toEqual([2, 3, 4]);
    metric.reset();
    expect(metric.get(1)).toBe(0);
    const timer = new d2l.Timer();
    const t = timer.stop();
    expect(t).toBeGreaterThanOrEqual(0);
    expect(timer.sum()).toBe(t);
    expect(timer.avg()).toBe(t);
    expect(timer.cumsum()).toEqual([t]);
  });
  it("showImages(imgs, numRows, numCols, { titles, scale }) shows one PNG grid", () => {
    const mem = d2l.captureDisplays();
    d2l.showImages(torch.rand(6, 28, 28), 2, 3, { titles: ["a", "b", "c", "d", "e", "f"], scale: 1.5 });
    d2l.showImages(torch.rand(2, 1, 28, 28).mul(255), 1, 2);
    expect(mem.displays).toHaveLength(2);
    expect(Object.keys(mem.displays[0].data)).toContain("image/png");
  });
  it("showTable shows records as HTML with a text fallback", () => {
    const mem = d2l.captureDisplays();
    d2l.showTable([{ epoch: 1, loss: 0.5 }, { epoch: 2, loss: 0.25 }]);
    expect(mem.displays).toHaveLength(1);
    expect(mem.displays[0].data["text/html"]).toContain("<table");
    expect(mem.displays[0].data["text/plain"]).toContain("0.25");
  });
});

describe("PyTorch lecture idioms, typed line by line", () => {
  it("from-scratch softmax regression step (d2l 3.6)", () => {
    const numInputs = 784, numOutputs = 10;
    const W = torch.normal(0, 0.01, [numInputs, numOutputs], { requiresGrad: true });
    const b = torch.zeros(numOutputs, { requiresGrad: true });
    const softmax = (X: T): T => {
      const Xexp = torch.exp(X);
      const partition = Xexp.sum(1, true);
      return Xexp.div(partition);
    };
    const net = (X: T): T => softmax(torch.matmul(X.reshape(-1, W.shape[0]), W).add(b));
    const crossEntropy = (yHat: T, y: T): T => torch.log(yHat.index([torch.arange(yHat.shape[0], { dtype: "int32" }), y])).neg();
    const X = torch.rand(8, 1, 28, 28), y = torch.randint(0, 10, [8]);
    const l = crossEntropy(net(X), y);
    expect(l.shape).toEqual([8]);
    l.sum().backward();
    torch.noGrad(() => {
      for (const param of [W, b]) {
        param.sub_(param.grad!.mul(0.1 / 8));
        param.grad!.zero_();
      }
    });
    expect(W.grad!.abs().sum().item()).toBe(0);
  });
  it("the concise MLP training loop with torch.max(outputs.data, 1)", () => {
    const net = new nn.Sequential(new nn.Flatten(), new nn.Linear(16, 8), new nn.ReLU(), new nn.Linear(8, 3));
    const loss = new nn.CrossEntropyLoss();
    const optimizer = new torch.optim.SGD(net.parameters(), { lr: 0.5 });
    const X = torch.randn(30, 1, 4, 4);
    const y = X.reshape(30, 16).narrow(1, 0, 3).argmax(1);
    const first = loss.forward(net.forward(X), y).item();
    for (let epoch = 0; epoch < 50; epoch++) {
      optimizer.zeroGrad();
      const l = loss.forward(net.forward(X), y);
      l.backward();
      optimizer.step();
    }
    const outputs = net.forward(X);
    const [, predicted] = torch.max(outputs.data, 1);
    expect(loss.forward(outputs, y).item()).toBeLessThan(first);
    expect(predicted.eq(y).sum().item()).toBeGreaterThan(20);
  });
});

describe("names docs/API.md lists beyond the contract exist", () => {
  const has = (ns: object, names: string): void => {
    const missing = names.split(/\s+/).filter((n) => n && (ns as Record<string, unknown>)[n] === undefined);
    expect(missing).toEqual([]);
  };
  it("torch", () => {
    has(torch, "emptyLike fullLike randLike fromTypedArray Generator defaultGenerator enableGrad isGradEnabled setGradEnabled");
    has(torch, "float32 float64 int32 uint8 float double long int bool device cuda");
    has(torch, `add sub mul div pow eq ne gt lt ge le logicalAnd logicalOr logicalNot neg sqrt abs sin cos sign floor ceil
      round square softmax logSoftmax logsumexp mm mv dot bmm prod argmin std var reshape flatten transpose permute t
      unsqueeze squeeze concat narrow indexSelect gather numel clone isTensor`);
    expect(typeof torch.Tensor.fromTypedArray).toBe("function");
  });
  it("Tensor members", () => {
    const x = torch.ones(2, 2);
    has(x, `ndim dataSync dataAsync data toString contiguous type double long bool cpu rsub maximum minimum clamp logicalNot
      square sin cos sign mm mv dot prod argmin var std t permute expand expandAs viewAs select gather index maskedSelect
      maskedFill div_ pow_ clamp_ relu_ retainGrad detach_ gradFn`);
  });
  it("torch.nn, functional, init", () => {
    has(nn, "ModuleList NLLLoss L1Loss");
    has(F, "relu6 l1Loss oneHot");
    has(nn.init, "calculateGain calculateFanInAndFanOut");
    has(new nn.Linear(1, 1), "namedChildren modules namedModules apply double float extraRepr");
    expect(new nn.CrossEntropyLoss({ labelSmoothing: 0.1 })).toBeInstanceOf(nn.Module);
    expect(new nn.BCEWithLogitsLoss({ posWeight: torch.ones(1), weight: torch.ones(1) })).toBeInstanceOf(nn.Module);
  });
  it("torch.optim, utils.data, datasets", () => {
    has(torch.optim, "Optimizer");
    const opt = new torch.optim.SGD([torch.ones(1, { requiresGrad: true })], { lr: 0.1, dampening: 0, nesterov: false, maximize: false });
    has(opt, "paramGroups addParamGroup stateDict loadStateDict zeroGrad step");
    expect(opt).toBeInstanceOf(torch.optim.Optimizer);
    has(torch.utils.data, "Subset randomSplit collate");
    has(torch.datasets, `CsvImageDataset writeMnistImageFolder xorData noisyXor syntheticData readIdxFile parseIdx encodeIdx
      decodePng encodeGrayPng parseCsv setProgressReporter`);
    has(torch.datasets.FashionMNIST, "load download");
    expect(torch.datasets.noisyXor(8, { noise: 0.05, seed: 1, labelDtype: "int32" })[1].dtype).toBe("int32");
  });
  it("d2l display extras", () => {
    has(d2l, `setDisplayBackend getDisplayBackend captureDisplays showBundle MemoryBackend FileBackend TextBackend plotFigure
      figureBundle setAxes setFigsize useSvgDisplay PIXELS_PER_INCH imageGrid showTable tableText tableHtml`);
    has(new d2l.Animator(), "figure summary add");
    has(new d2l.Accumulator(1), "add get reset length");
    has(new d2l.Timer(), "start stop avg sum cumsum");
  });
});

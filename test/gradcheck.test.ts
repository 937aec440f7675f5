import { describe, it } from "vitest";
import { torch } from "../kernel-lib/src/index";
import type { Tensor } from "../kernel-lib/src/tensor/tensor";
import { gradcheck, input } from "./helpers/gradcheck";

const F = torch.nn.functional;
const f64 = { dtype: "float64" as const };

// Shapes that exercise broadcasting in both directions, including a size-1 middle dim and a 0-d operand.
const BROADCAST_PAIRS: [number[], number[]][] = [
  [[2, 3], [2, 3]],
  [[2, 3], [3]],
  [[4, 1, 3], [2, 1]],
  [[3], [2, 1]],
  [[2, 3], []],
];

describe("gradcheck: binary elementwise with broadcasting", () => {
  for (const [sa, sb] of BROADCAST_PAIRS) {
    const tag = `[${sa}] x [${sb}]`;
    it(`add sub mul ${tag}`, () => {
      gradcheck("add", (a, b) => a.add(b), [input(sa, 1), input(sb, 2)]);
      gradcheck("add alpha", (a, b) => torch.add(a, b, { alpha: -2.5 }), [input(sa, 1), input(sb, 2)]);
      gradcheck("sub", (a, b) => a.sub(b), [input(sa, 3), input(sb, 4)]);
      gradcheck("mul", (a, b) => a.mul(b), [input(sa, 5), input(sb, 6)]);
    });
    it(`div pow maximum minimum where ${tag}`, () => {
      gradcheck("div", (a, b) => a.div(b), [input(sa, 7), input(sb, 8, 0.5, 2)]);
      gradcheck("pow", (a, b) => a.pow(b), [input(sa, 9, 0.5, 2), input(sb, 10, -1.5, 1.5)]);
      gradcheck("maximum", (a, b) => torch.maximum(a, b), [input(sa, 11), input(sb, 12)]);
      gradcheck("minimum", (a, b) => torch.minimum(a, b), [input(sa, 13), input(sb, 14)]);
      const cond = torch.rand(sa).gt(0.5);
      gradcheck("where", (a, b) => torch.where(cond, a, b), [input(sa, 15), input(sb, 16)]);
    });
  }
  it("number operands on either side", () => {
    gradcheck("x+2", (a) => a.add(2), [input([2, 3], 1)]);
    gradcheck("1-x", (a) => torch.sub(1, a), [input([2, 3], 1)]);
    gradcheck("3/x", (a) => torch.div(3, a), [input([2, 3], 2, 0.5, 2)]);
    gradcheck("x^3", (a) => a.pow(3), [input([2, 3], 3)]);
    gradcheck("x^0.5", (a) => a.pow(0.5), [input([2, 3], 3, 0.2, 2)]);
    gradcheck("2^x", (a) => torch.pow(2, a), [input([2, 3], 4)]);
    gradcheck("x*x same tensor", (a) => a.mul(a), [input([3], 5)]);
  });
});

describe("gradcheck: unary math and activations", () => {
  const x = (seed: number, lo = -2, hi = 2): Tensor => input([3, 4], seed, lo, hi);
  const cases: [string, (t: Tensor) => Tensor, number?, number?][] = [
    ["neg", (t) => t.neg()],
    ["exp", (t) => t.exp()],
    ["log", (t) => t.log(), 0.2, 3],
    ["sqrt", (t) => t.sqrt(), 0.2, 3],
    ["abs", (t) => t.abs()],
    ["sin", (t) => t.sin()],
    ["cos", (t) => t.cos()],
    ["square", (t) => t.square()],
    ["relu", (t) => t.relu()],
    ["sigmoid", (t) => t.sigmoid()],
    ["tanh", (t) => t.tanh()],
    ["clamp", (t) => t.clamp(-0.5, 0.7)],
    ["clamp min only", (t) => torch.clamp(t, 0.1)],
    ["leakyRelu", (t) => F.leakyRelu(t, 0.2)],
    ["elu", (t) => F.elu(t, 1.3)],
    ["gelu", (t) => F.gelu(t)],
    ["gelu tanh", (t) => F.gelu(t, { approximate: "tanh" })],
    ["silu", (t) => F.silu(t)],
    ["mish", (t) => F.mish(t)],
    ["softplus", (t) => F.softplus(t)],
    ["softplus beta threshold", (t) => F.softplus(t, { beta: 2, threshold: 1.5 }), -2, 2],
    ["softsign", (t) => F.softsign(t)],
    ["hardtanh", (t) => F.hardtanh(t, -0.6, 0.9)],
    ["logsigmoid", (t) => F.logsigmoid(t)],
    ["sigmoid (F)", (t) => F.sigmoid(t)],
    ["tanh (F)", (t) => F.tanh(t)],
    ["relu (F)", (t) => F.relu(t)],
    ["float64 -> float64 to()", (t) => t.to("float64").mul(2)],
  ];
  cases.forEach(([name, fn, lo, hi], i) => {
    it(name, () => gradcheck(name, fn, [x(100 + i, lo ?? -2, hi ?? 2)]));
  });
  it("prelu with one weight and per-channel weights", () => {
    gradcheck("prelu1", (t, w) => F.prelu(t, w), [input([3, 4], 1), input([1], 2, 0.1, 0.5)]);
    gradcheck("preluC", (t, w) => F.prelu(t, w), [input([2, 4, 3], 3), input([4], 4, 0.1, 0.5)]);
  });
});

describe("gradcheck: reductions over each dim", () => {
  const shape = [2, 3, 4];
  for (const dim of [undefined, 0, 1, 2, -1]) {
    for (const keepdim of [false, true]) {
      it(`sum/mean/max/min/norm/softmax dim=${dim} keepdim=${keepdim}`, () => {
        gradcheck("sum", (t) => t.sum(dim, keepdim), [input(shape, 1)]);
        gradcheck("mean", (t) => t.mean(dim, keepdim), [input(shape, 2)]);
        gradcheck("norm", (t) => t.norm(2, dim, keepdim), [input(shape, 3)]);
        gradcheck("var", (t) => t.var(dim, { keepdim }), [input(shape, 4)]);
        gradcheck("prod", (t) => t.prod(dim, keepdim), [input(shape, 5, 0.5, 1.5)]);
        if (dim === undefined) {
          gradcheck("max()", (t) => t.max(), [input(shape, 6)]);
          gradcheck("min()", (t) => t.min(), [input(shape, 7)]);
        } else {
          gradcheck("max(dim)", (t) => t.max(dim, keepdim).values, [input(shape, 8)]);
          gradcheck("min(dim)", (t) => t.min(dim, keepdim).values, [input(shape, 9)]);
          gradcheck("softmax", (t) => t.softmax(dim), [input(shape, 10)]);
          gradcheck("logSoftmax", (t) => t.logSoftmax(dim), [input(shape, 11)]);
          gradcheck("logsumexp", (t) => torch.logsumexp(t, dim, keepdim), [input(shape, 12)]);
        }
      });
    }
  }
  it("sum over several dims, norms with other p", () => {
    gradcheck("sum[0,2]", (t) => t.sum([0, 2]), [input([2, 3, 4], 1)]);
    gradcheck("mean[-1,0]", (t) => t.mean([-1, 0], true), [input([2, 3, 4], 2)]);
    gradcheck("norm p=1", (t) => t.norm(1), [input([3, 4], 3)]);
    gradcheck("norm p=3 dim", (t) => t.norm(3, 1), [input([3, 4], 4)]);
    gradcheck("std", (t) => t.std(1), [input([3, 4], 5)]);
  });
});

describe("gradcheck: matmul", () => {
  const cases: [number[], number[]][] = [
    [[3, 4], [4, 5]],
    [[4], [4]],
    [[4], [4, 2]],
    [[3, 4], [4]],
    [[2, 3, 4], [4, 5]],
    [[3, 4], [2, 4, 5]],
    [[2, 1, 3, 4], [3, 4, 2]],
  ];
  for (const [sa, sb] of cases) {
    it(`[${sa}] @ [${sb}]`, () => gradcheck("matmul", (a, b) => a.matmul(b), [input(sa, 1), input(sb, 2)]));
  }
  it("mm, mv, dot, bmm, linear (with and without bias, 1-D input)", () => {
    gradcheck("mm", (a, b) => torch.mm(a, b), [input([3, 4], 1), input([4, 2], 2)]);
    gradcheck("mv", (a, b) => torch.mv(a, b), [input([3, 4], 1), input([4], 2)]);
    gradcheck("dot", (a, b) => torch.dot(a, b), [input([4], 1), input([4], 2)]);
    gradcheck("bmm", (a, b) => torch.bmm(a, b), [input([2, 3, 4], 1), input([2, 4, 2], 2)]);
    gradcheck("linear", (x, w, b) => F.linear(x, w, b), [input([5, 4], 1), input([3, 4], 2), input([3], 3)]);
    gradcheck("linear nobias", (x, w) => F.linear(x, w), [input([2, 5, 4], 1), input([3, 4], 2)]);
    gradcheck("linear 1-D", (x, w, b) => F.linear(x, w, b), [input([4], 1), input([3, 4], 2), input([3], 3)]);
  });
});

describe("gradcheck: shape and indexing ops", () => {
  const x = (): Tensor => input([2, 3, 4], 7);
  it("views: reshape, view -1, flatten, unsqueeze, squeeze", () => {
    gradcheck("reshape", (t) => t.reshape(4, -1).mul(t.reshape(4, 6)), [x()]);
    gradcheck("view", (t) => t.view([-1]), [x()]);
    gradcheck("flatten", (t) => t.flatten(1), [x()]);
    gradcheck("unsqueeze", (t) => t.unsqueeze(1).mul(torch.arange(5, f64).reshape(1, 5, 1, 1)), [x()]);
    gradcheck("squeeze", (t) => t.squeeze(), [input([2, 1, 3], 1)]);
  });
  it("copies: T, transpose, permute, expand, narrow, select, cat, stack", () => {
    gradcheck("T", (t) => t.T, [input([3, 4], 1)]);
    gradcheck("transpose", (t) => t.transpose(0, 2), [x()]);
    gradcheck("permute", (t) => t.permute(2, 0, 1), [x()]);
    gradcheck("expand", (t) => t.expand(2, 3, 4), [input([3, 1], 1)]);
    gradcheck("narrow", (t) => t.narrow(1, 1, 2), [x()]);
    gradcheck("select", (t) => t.select(2, -1), [x()]);
    gradcheck("cat", (a, b) => torch.cat([a, b, a], 1), [input([2, 3], 1), input([2, 2], 2)]);
    gradcheck("stack", (a, b) => torch.stack([a, b], 2), [input([2, 3], 1), input([2, 3], 2)]);
  });
  it("indexSelect, gather, advanced index, maskedSelect (repeated indices accumulate)", () => {
    const idx = torch.tensor([2, 0, 2], { dtype: "int32" });
    gradcheck("indexSelect", (t) => t.indexSelect(1, idx), [x()]);
    const g = torch.tensor([[0, 2, 2], [1, 1, 0]], { dtype: "int32" });
    gradcheck("gather", (t) => t.gather(1, g), [input([2, 3], 1)]);
    const rows = torch.tensor([0, 1, 1], { dtype: "int32" });
    const cols = torch.tensor([2, 0, 0], { dtype: "int32" });
    gradcheck("index", (t) => t.index([rows, cols]), [input([2, 3], 2)]);
    const mask = torch.tensor([[true, false, true], [false, true, true]]);
    gradcheck("maskedSelect", (t) => t.maskedSelect(mask), [input([2, 3], 3)]);
  });
});

describe("gradcheck: losses, every reduction", () => {
  const labels = torch.tensor([2, 0, 1, 2], { dtype: "int32" });
  for (const reduction of ["mean", "sum", "none"] as const) {
    it(`losses reduction=${reduction}`, () => {
      gradcheck("crossEntropy", (z) => F.crossEntropy(z, labels, { reduction }), [input([4, 3], 1, -3, 3)]);
      const probs = torch.softmax(torch.randn(4, 3, f64), 1);
      gradcheck("crossEntropy probs", (z) => F.crossEntropy(z, probs, { reduction }), [input([4, 3], 2)]);
      gradcheck("crossEntropy smoothing", (z) => F.crossEntropy(z, labels, { reduction, labelSmoothing: 0.1 }), [input([4, 3], 3)]);
      gradcheck("nllLoss", (z) => F.nllLoss(z.logSoftmax(1), labels, { reduction }), [input([4, 3], 4)]);
      gradcheck("mseLoss", (a, b) => F.mseLoss(a, b, { reduction }), [input([4, 3], 5), input([4, 3], 6)]);
      gradcheck("l1Loss", (a, b) => F.l1Loss(a, b, { reduction }), [input([4, 3], 7), input([4, 3], 8)]);
      gradcheck("bce", (p, t) => F.binaryCrossEntropy(p, t, { reduction }), [input([4, 3], 9, 0.05, 0.95), input([4, 3], 10, 0, 1)]);
      gradcheck("bceWithLogits", (z, t) => F.binaryCrossEntropyWithLogits(z, t, { reduction }), [input([4, 3], 11, -4, 4), input([4, 3], 12, 0, 1)]);
      gradcheck("bceWithLogits posWeight", (z, t) => F.binaryCrossEntropyWithLogits(z, t, { reduction, posWeight: torch.tensor([1, 2, 0.5], f64) }), [input([4, 3], 13, -4, 4), input([4, 3], 14, 0, 1)]);
    });
  }
  it("unbatched crossEntropy and a 2-layer MLP loss", () => {
    gradcheck("ce unbatched", (z) => F.crossEntropy(z, torch.tensor(1, { dtype: "int32" })), [input([3], 1)]);
    const X = torch.randn(6, 4, f64);
    const y = torch.tensor([0, 1, 2, 1, 0, 2], { dtype: "int32" });
    gradcheck(
      "mlp",
      (w1, b1, w2, b2) => F.crossEntropy(F.linear(F.relu(F.linear(X, w1, b1)), w2, b2), y),
      [input([5, 4], 1), input([5], 2), input([3, 5], 3), input([3], 4)],
    );
  });
  it("dropout in training uses one fixed mask", () => {
    gradcheck("dropout", (t) => { torch.manualSeed(3); return F.dropout(t, 0.4, true); }, [input([3, 4], 1)]);
  });
});

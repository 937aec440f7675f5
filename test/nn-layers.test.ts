import { describe, expect, it } from "vitest";
import { Tensor } from "../kernel-lib/src/tensor/tensor";
import { defaultGenerator } from "../kernel-lib/src/tensor/random";
import * as nn from "../kernel-lib/src/nn/index";

const init = nn.init;
const F = nn.functional;
const t = (data: number[], shape: number[]): Tensor => Tensor.fromTypedArray(new Float32Array(data), shape);
const empty = (...shape: number[]): Tensor => Tensor.empty(shape);

function stats(x: Tensor): { mean: number; variance: number; min: number; max: number } {
  const d = x.dataSync();
  let s = 0, min = Infinity, max = -Infinity;
  for (const v of d) {
    s += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = s / d.length;
  let q = 0;
  for (const v of d) q += (v - mean) ** 2;
  return { mean, variance: q / d.length, min, max };
}

/** |a - b| <= rel · b, with a message. */
function expectClose(a: number, b: number, rel: number, what: string): void {
  expect(Math.abs(a - b), `${what}: ${a} vs ${b}`).toBeLessThanOrEqual(rel * Math.abs(b));
}

describe("nn.init (statistics: the generator differs from PyTorch's, the distributions must not)", () => {
  // Relative standard error of a sample variance is sqrt((kurtosis - 1) / n): 0.26% for a uniform and 0.32% for
  // a normal at n = 200000, so a 2% bound is more than 6 standard errors.
  const REL = 0.02;

  it("Linear draws W and b from U(±1/sqrt(inFeatures)), as kaiming-uniform with a = sqrt(5)", () => {
    defaultGenerator.manualSeed(0);
    const layer = new nn.Linear(400, 500);
    const bound = 1 / Math.sqrt(400);
    const f32Bound = Math.fround(bound); // the float32 weights may round onto the bound itself
    const w = stats(layer.weight);
    expect(w.min).toBeGreaterThanOrEqual(-f32Bound);
    expect(w.max).toBeLessThanOrEqual(f32Bound);
    expect(w.max).toBeGreaterThan(0.999 * bound);
    expect(w.min).toBeLessThan(-0.999 * bound);
    expectClose(w.variance, bound ** 2 / 3, REL, "weight variance");
    expect(Math.abs(w.mean)).toBeLessThan(0.01 * bound);
    const b = stats(layer.bias!);
    expect(b.min).toBeGreaterThanOrEqual(-f32Bound);
    expect(b.max).toBeLessThanOrEqual(f32Bound);
    expect(b.max - b.min).toBeGreaterThan(bound); // spread, not constant
    expect(layer.weight.requiresGrad && layer.bias!.requiresGrad).toBe(true);
    expect(layer.weight.isLeaf).toBe(true);
    expect(new nn.Linear(3, 2, { bias: false }).bias).toBeNull();
  });

  it("the same seed gives the same initial weights", () => {
    defaultGenerator.manualSeed(42);
    const a = new nn.Linear(5, 4).weight.tolist();
    defaultGenerator.manualSeed(42);
    expect(new nn.Linear(5, 4).weight.tolist()).toEqual(a);
  });

  it("kaimingNormal_ / kaimingUniform_ use gain / sqrt(fan) with PyTorch's gain rules", () => {
    defaultGenerator.manualSeed(1);
    const w = empty(500, 400);
    init.kaimingNormal_(w, { mode: "fan_in", nonlinearity: "relu" });
    expectClose(stats(w).variance, 2 / 400, REL, "kaimingNormal fan_in relu");
    init.kaimingNormal_(w, { mode: "fan_out", nonlinearity: "relu" });
    expectClose(stats(w).variance, 2 / 500, REL, "kaimingNormal fan_out relu");
    init.kaimingUniform_(w); // leaky_relu with a = 0: gain sqrt(2), bound sqrt(6 / fan_in)
    const s = stats(w);
    expect(s.max).toBeLessThanOrEqual(Math.fround(Math.sqrt(6 / 400)));
    expectClose(s.variance, 2 / 400, REL, "kaimingUniform default");
    init.kaimingUniform_(w, { a: 1, nonlinearity: "leaky_relu" }); // gain 1
    expectClose(stats(w).variance, 1 / 400, REL, "kaimingUniform a=1");
  });

  it("xavierUniform_ / xavierNormal_ use gain * sqrt(2 / (fan_in + fan_out)), with receptive fields", () => {
    defaultGenerator.manualSeed(2);
    const w = empty(300, 200, 2);
    init.xavierUniform_(w); // fan_in 400, fan_out 600
    const s = stats(w);
    const a = Math.fround(Math.sqrt(6 / 1000));
    expect(s.max).toBeLessThanOrEqual(a);
    expect(s.min).toBeGreaterThanOrEqual(-a);
    expectClose(s.variance, 2 / 1000, REL, "xavierUniform");
    init.xavierNormal_(w, 2);
    expectClose(stats(w).variance, 4 * (2 / 1000), REL, "xavierNormal gain 2");
    init.xavierNormal_(w, { gain: 0.5 });
    expectClose(stats(w).variance, 0.25 * (2 / 1000), REL, "xavierNormal { gain: 0.5 }");
  });

  it("normal_, uniform_, constant_, zeros_, ones_ and calculateGain", () => {
    defaultGenerator.manualSeed(3);
    const w = empty(200000);
    init.normal_(w, 3, 0.5);
    const n = stats(w);
    expect(Math.abs(n.mean - 3)).toBeLessThan(0.01);
    expectClose(n.variance, 0.25, REL, "normal_");
    init.normal_(w, { std: 0.01 });
    expectClose(stats(w).variance, 1e-4, REL, "normal_({ std })");
    expect(Math.abs(stats(w).mean)).toBeLessThan(1e-4);
    init.uniform_(w, { a: -2, b: 4 });
    const u = stats(w);
    expect(u.min).toBeGreaterThanOrEqual(-2);
    expect(u.max).toBeLessThan(4);
    expectClose(u.variance, 36 / 12, REL, "uniform_");
    expect(init.constant_(t([1, 2], [2]), 0.3).tolist()).toEqual([Math.fround(0.3), Math.fround(0.3)]);
    expect(init.zeros_(t([1, 2], [2])).tolist()).toEqual([0, 0]);
    expect(init.ones_(t([5, 2], [2])).tolist()).toEqual([1, 1]);
    expect(init.calculateGain("relu")).toBeCloseTo(Math.SQRT2, 12);
    expect(init.calculateGain("tanh")).toBeCloseTo(5 / 3, 12);
    expect(init.calculateGain("leaky_relu", 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 12);
    expect(init.calculateGain("leaky_relu")).toBeCloseTo(Math.sqrt(2 / 1.0001), 12);
    expect(init.calculateGain("selu")).toBe(0.75);
    expect(init.calculateGain("sigmoid")).toBe(1);
  });

  it("initialises parameters in place without recording a graph, and explains bad tensors", () => {
    const layer = new nn.Linear(3, 2);
    // in place: a tensor sharing the weight's storage (.data) sees the new values, on every backend
    const alias = layer.weight.data;
    const before = layer.weight.tolist();
    init.normal_(layer.weight, 0, 0.01);
    expect(layer.weight.tolist()).not.toEqual(before);
    expect(alias.tolist()).toEqual(layer.weight.tolist());
    expect(layer.weight.isLeaf).toBe(true);
    expect(layer.weight.requiresGrad).toBe(true);
    expect(() => init.xavierUniform_(empty(5))).toThrow(/fan in and fan out cannot be computed for a tensor with fewer than 2 dimensions \(shape \[5\]\)/);
    expect(() => init.kaimingNormal_(empty(2, 2), { mode: "fan_avg" as "fan_in" })).toThrow(/mode must be "fan_in" or "fan_out", got "fan_avg"/);
    expect(() => init.calculateGain("swish" as "relu")).toThrow(/unsupported nonlinearity "swish"/);
    expect(() => init.normal_(empty(2), 0, -1)).toThrow(/normal_: std must be >= 0, got -1/);
    expect(() => init.uniform_(empty(2), 1, 0)).toThrow(/uniform_: the upper bound b=0 must be >= the lower bound a=1/);
  });

  it("apply(fn) re-initialises every Linear, as in the lectures' init_weights", () => {
    const net = new nn.Sequential(new nn.Flatten(), new nn.Linear(6, 4), new nn.ReLU(), new nn.Linear(4, 2));
    net.apply((m) => {
      if (m instanceof nn.Linear) {
        init.normal_(m.weight, 0, 0.01);
        init.zeros_(m.bias!);
      }
    });
    expect(net[1].bias!.tolist()).toEqual([0, 0, 0, 0]);
    expect(Math.max(...Array.from(net[3].weight.dataSync(), Math.abs))).toBeLessThan(0.06);
  });
});

describe("layers", () => {
  it("Linear computes x Wᵀ + b and explains a wrong input size", () => {
    const layer = new nn.Linear(3, 2);
    init.constant_(layer.weight, 0);
    layer.loadStateDict({ weight: t([1, 2, 3, -1, 0, 1], [2, 3]), bias: t([0.5, -0.5], [2]) });
    const y = layer.forward(t([1, 1, 1, 2, 0, -1], [2, 3]));
    expect(y.shape).toEqual([2, 2]);
    expect(y.tolist()).toEqual([[6.5, -0.5], [-0.5, -3.5]]);
    expect(() => layer.forward(t([1, 2, 3, 4], [1, 4]))).toThrow(/Linear.forward: input of shape \[1,4\] does not end in inFeatures=3/);
    expect(() => layer.forward(t(new Array<number>(12).fill(0), [2, 2, 3]).reshape(2, 6))).toThrow(/inFeatures=3/);
    expect(() => new nn.Linear(-1, 2)).toThrow(/Linear: inFeatures must be a non-negative integer, got -1/);
  });

  it("Flatten keeps the batch dimension; Identity returns its input", () => {
    const x = t(new Array<number>(24).fill(1), [2, 3, 4]);
    expect(new nn.Flatten().forward(x).shape).toEqual([2, 12]);
    expect(new nn.Flatten(0).forward(x).shape).toEqual([24]);
    expect(new nn.Identity().forward(x)).toBe(x);
  });

  it("activation modules apply their functional counterparts with their settings", () => {
    const x = t([-3, -1, -0.5, 0, 0.5, 2, 30], [7]);
    const same = (m: nn.Module, expected: Tensor): void => expect(m.forward(x).tolist()).toEqual(expected.tolist());
    same(new nn.ReLU(), F.relu(x));
    same(new nn.Sigmoid(), F.sigmoid(x));
    same(new nn.Tanh(), F.tanh(x));
    same(new nn.LeakyReLU(0.2), F.leakyRelu(x, 0.2));
    same(new nn.ELU(2), F.elu(x, 2));
    same(new nn.GELU(), F.gelu(x));
    same(new nn.GELU({ approximate: "tanh" }), F.gelu(x, { approximate: "tanh" }));
    same(new nn.SiLU(), F.silu(x));
    same(new nn.Mish(), F.mish(x));
    same(new nn.Softplus(2, 10), F.softplus(x, { beta: 2, threshold: 10 }));
    same(new nn.Softsign(), F.softsign(x));
    same(new nn.Hardtanh(-2, 1), F.hardtanh(x, -2, 1));
    same(new nn.LogSigmoid(), F.logsigmoid(x));
    expect(new nn.LeakyReLU(0.2).forward(t([-1], [1])).item()).toBeCloseTo(-0.2, 6);
    expect(new nn.Hardtanh(-2, 1).forward(x).tolist()).toEqual([-2, -1, -0.5, 0, 0.5, 1, 1]);
    expect(() => new nn.Hardtanh(1, 1)).toThrow(/maxVal \(1\) must be greater than minVal \(1\)/);
    expect(() => new nn.GELU({ approximate: "fast" as "tanh" })).toThrow(/approximate must be "none" or "tanh"/);
  });

  it("Softmax / LogSoftmax use the given dim, or PyTorch's implicit one", () => {
    const x = t([1, 2, 3, 1, 1, 1], [2, 3]);
    const rows = new nn.Softmax(1).forward(x).sum(1).tolist() as number[];
    rows.forEach((r) => expect(r).toBeCloseTo(1, 6));
    expect(new nn.Softmax().forward(x).tolist()).toEqual(new nn.Softmax(1).forward(x).tolist());
    const cols = new nn.Softmax(0).forward(x).sum(0).tolist() as number[];
    cols.forEach((c) => expect(c).toBeCloseTo(1, 6));
    expect(new nn.LogSoftmax(1).forward(x).tolist()).toEqual(F.logSoftmax(x, 1).tolist());
  });

  it("PReLU learns its slope: one shared weight (0.25) or one per channel", () => {
    const m = new nn.PReLU();
    expect(m.weight.tolist()).toEqual([0.25]);
    expect(m.namedParameters().map(([k]) => k)).toEqual(["weight"]);
    const x = t([-2, 3, -4, 1], [2, 2]);
    const y = m.forward(x);
    expect(y.tolist()).toEqual([[-0.5, 3], [-1, 1]]);
    y.sum().backward();
    expect(m.weight.grad!.tolist()).toEqual([-6]);
    const per = new nn.PReLU(2, 0.1);
    expect(per.weight.shape).toEqual([2]);
    expect(per.forward(x).tolist()).toEqual([[Math.fround(-0.2), 3], [Math.fround(-0.4), 1]]);
  });

  it("Dropout zeroes about p of the elements and scales the rest in training, and is the identity in eval", () => {
    defaultGenerator.manualSeed(7);
    const n = 100000;
    const x = t(new Array<number>(n).fill(1), [n]);
    const drop = new nn.Dropout(0.3);
    expect(drop.training).toBe(true);
    const y = drop.forward(x).dataSync();
    let zeros = 0, others = 0;
    for (const v of y) {
      if (v === 0) zeros++;
      else if (v !== Math.fround(1 / 0.7)) others++;
    }
    expect(others).toBe(0);
    // binomial: sd of the zero fraction is sqrt(0.3 * 0.7 / n) = 0.0014
    expect(Math.abs(zeros / n - 0.3)).toBeLessThan(0.01);
    drop.eval();
    expect(Array.from(drop.forward(x).dataSync())).toEqual(Array.from(x.dataSync()));
    drop.train();
    expect(Array.from(new nn.Dropout(1).forward(x).dataSync()).every((v) => v === 0)).toBe(true);
    expect(Array.from(new nn.Dropout(0).forward(x).dataSync())).toEqual(Array.from(x.dataSync()));
    defaultGenerator.manualSeed(9);
    const a = Array.from(drop.forward(x).dataSync());
    defaultGenerator.manualSeed(9);
    expect(Array.from(drop.forward(x).dataSync())).toEqual(a);
    expect(() => new nn.Dropout(1.5)).toThrow(/Dropout: probability has to be between 0 and 1, but got 1.5/);
  });

  it("Dropout inside a Sequential follows net.train() / net.eval()", () => {
    const net = new nn.Sequential(new nn.Identity(), new nn.Dropout(0.5));
    const x = t(new Array<number>(1000).fill(1), [1000]);
    net.eval();
    expect(Array.from(net.forward(x).dataSync()).every((v) => v === 1)).toBe(true);
    net.train();
    expect(Array.from(net.forward(x).dataSync()).some((v) => v === 0)).toBe(true);
  });
});

describe("loss modules", () => {
  const logits = t([2, 0.5, -1, 0.1, 0.2, 3], [2, 3]);
  const labels = Tensor.fromTypedArray(new Int32Array([0, 2]), [2]);

  it("CrossEntropyLoss / NLLLoss follow their reduction", () => {
    const none = new nn.CrossEntropyLoss({ reduction: "none" }).forward(logits, labels);
    expect(none.shape).toEqual([2]);
    const [a, b] = none.tolist() as number[];
    const lse = (xs: number[]): number => Math.log(xs.reduce((s, v) => s + Math.exp(v), 0));
    expect(a).toBeCloseTo(lse([2, 0.5, -1]) - 2, 5);
    expect(b).toBeCloseTo(lse([0.1, 0.2, 3]) - 3, 5);
    expect(new nn.CrossEntropyLoss().forward(logits, labels).item()).toBeCloseTo((a + b) / 2, 6);
    expect(new nn.CrossEntropyLoss({ reduction: "sum" }).forward(logits, labels).item()).toBeCloseTo(a + b, 6);
    expect(new nn.NLLLoss().forward(F.logSoftmax(logits, 1), labels).item()).toBeCloseTo((a + b) / 2, 6);
    expect(() => new nn.CrossEntropyLoss({ reduction: "avg" as "mean" })).toThrow(/CrossEntropyLoss: reduction must be "none", "mean" or "sum", got "avg"/);
  });

  it("MSELoss, L1Loss, BCELoss and BCEWithLogitsLoss", () => {
    const p = t([0.2, 0.9, 0.6], [3]);
    const y = t([0, 1, 1], [3]);
    expect(new nn.MSELoss().forward(p, y).item()).toBeCloseTo((0.04 + 0.01 + 0.16) / 3, 6);
    expect(new nn.MSELoss({ reduction: "sum" }).forward(p, y).item()).toBeCloseTo(0.21, 6);
    expect(new nn.L1Loss().forward(p, y).item()).toBeCloseTo(0.7 / 3, 6);
    const bce = -(Math.log(0.8) + Math.log(0.9) + Math.log(0.6)) / 3;
    expect(new nn.BCELoss().forward(p, y).item()).toBeCloseTo(bce, 5);
    const z = t([-1, 2, 0.5], [3]);
    const viaSigmoid = new nn.BCELoss().forward(F.sigmoid(z), y).item();
    expect(new nn.BCEWithLogitsLoss().forward(z, y).item()).toBeCloseTo(viaSigmoid, 5);
  });
});

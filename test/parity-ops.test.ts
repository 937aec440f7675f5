import { getBackend } from "../kernel-lib/src/backends/registry";
import { describe, expect, it } from "vitest";
import { readFileSync } from "fs";
import { join } from "path";
import { torch } from "../kernel-lib/src/index";
import type { Tensor } from "../kernel-lib/src/tensor/tensor";
import type { DType } from "../kernel-lib/src/tensor/dtype";

/** PyTorch parity: forward values and gradients from test/fixtures/ops.json (tools/fixtures/gen_ops.py). */
const F = torch.nn.functional;

interface Encoded { shape: number[]; dtype: DType; data: (number | string)[] }
interface Case { name: string; inputs: Encoded[]; outputs: Encoded[]; weights?: Encoded; grads?: (Encoded | null)[] }
const fixture = JSON.parse(readFileSync(join(__dirname, "fixtures", "ops.json"), "utf8")) as { cases: Case[] };

const num = (v: number | string): number => (typeof v === "number" ? v : v === "inf" ? Infinity : v === "-inf" ? -Infinity : NaN);
function decode(e: Encoded): Tensor {
  const t = torch.tensor(e.data.map(num), { dtype: e.dtype }).reshape(e.shape);
  return t;
}

type Fn = (...xs: Tensor[]) => Tensor | Tensor[];
const bool = (v: string): boolean => v === "True";
const red = (name: string): "mean" | "sum" | "none" => name.split(" ").pop() as "mean" | "sum" | "none";

const UNARY: Record<string, Fn> = {
  neg: (x) => x.neg(), exp: (x) => x.exp(), log: (x) => x.log(), sqrt: (x) => x.sqrt(), abs: (x) => x.abs(),
  sin: (x) => x.sin(), cos: (x) => x.cos(), relu: (x) => torch.relu(x), sigmoid: (x) => torch.sigmoid(x), tanh: (x) => torch.tanh(x),
  clamp: (x) => x.clamp(-0.5, 0.7), "clamp min": (x) => torch.clamp(x, 0.1),
  leakyRelu: (x) => F.leakyRelu(x, 0.2), "leakyRelu default": (x) => F.leakyRelu(x), elu: (x) => F.elu(x, 1.3),
  gelu: (x) => F.gelu(x), "gelu tanh": (x) => F.gelu(x, { approximate: "tanh" }), silu: (x) => F.silu(x), mish: (x) => F.mish(x),
  softplus: (x) => F.softplus(x), "softplus beta threshold": (x) => F.softplus(x, { beta: 2, threshold: 1.5 }),
  softsign: (x) => F.softsign(x), hardtanh: (x) => F.hardtanh(x, -0.6, 0.9), logsigmoid: (x) => F.logsigmoid(x),
  "softmax 0": (x) => F.softmax(x, 0), "softmax 1": (x) => F.softmax(x, 1), "logSoftmax 1": (x) => F.logSoftmax(x, 1),
  "logSoftmax -1 large": (x) => x.logSoftmax(-1), "logsumexp 1": (x) => torch.logsumexp(x, 1),
  "relu at zero": (x) => x.relu(), "prelu 1": (x, w) => F.prelu(x, w), "prelu C": (x, w) => F.prelu(x, w),
  sum: (x) => x.sum(), mean: (x) => x.mean(), max: (x) => x.max(), min: (x) => x.min(), prod: (x) => x.prod(),
  norm: (x) => x.norm(), var: (x) => x.var(), std: (x) => x.std(), argmax: (x) => x.argmax(), "sum [0,2]": (x) => x.sum([0, 2]),
  "add alpha": (a, b) => torch.add(a, b, { alpha: -2.5 }), "add scalar": (a) => a.add(2.5), "rsub scalar": (a) => torch.sub(1, a),
  "rdiv scalar": (a) => torch.div(3, a), "pow scalar": (a) => a.pow(3), "pow sqrt": (a) => a.pow(0.5), rpow: (a) => torch.pow(2, a),
  where: (c, a, b) => torch.where(c, a, b),
  linear: (x, w, b) => F.linear(x, w, b), "linear nobias": (x, w) => F.linear(x, w),
  T: (x) => x.T, transpose: (x) => x.transpose(0, 2), permute: (x) => x.permute(2, 0, 1), reshape: (x) => x.reshape(4, -1),
  "flatten 1": (x) => x.flatten(1), unsqueeze: (x) => x.unsqueeze(1), expand: (x) => x.expand(2, 3, 4), narrow: (x) => x.narrow(1, 1, 2),
  "cat 1": (a, b) => torch.cat([a, b, a], 1), "stack 2": (a, b) => torch.stack([a, b], 2),
  indexSelect: (x, i) => x.indexSelect(1, i), gather: (x, i) => x.gather(1, i), index: (x, r, c) => x.index([r, c]),
  "scatter src": (x, i, s) => x.scatter(1, i, s), "scatter value": (x, i) => x.scatter(0, i, 1.5),
  "scatter_ onehot": (y) => torch.zeros([4, 5]).scatter_(1, y.unsqueeze(1), 1),
  "crossEntropy large logits": (z, y) => F.crossEntropy(z, y), "bceWithLogits large": (z, t) => F.binaryCrossEntropyWithLogits(z, t),
  arange: () => torch.arange(-8.0, 8.0, 0.1), linspace: () => torch.linspace(-1, 3, 7), eye: () => torch.eye(3, 4),
};

function resolve(name: string): Fn {
  if (UNARY[name]) return UNARY[name];
  const [op, ...rest] = name.split(" ");
  const binary: Record<string, Fn> = {
    add: (a, b) => a.add(b), sub: (a, b) => a.sub(b), mul: (a, b) => a.mul(b), div: (a, b) => a.div(b), pow: (a, b) => a.pow(b),
    maximum: (a, b) => torch.maximum(a, b), minimum: (a, b) => torch.minimum(a, b), matmul: (a, b) => torch.matmul(a, b),
  };
  if (binary[op] && rest.length === 1) return binary[op];
  if (["eq", "ne", "gt", "lt", "ge", "le"].includes(op)) return (a, b) => (a[op as "eq"] as (o: Tensor) => Tensor).call(a, b);
  if (rest.length === 2 && ["sum", "mean", "max", "min", "argmax", "norm", "var"].includes(op)) {
    const dim = Number(rest[0]);
    const keep = bool(rest[1]);
    const fns: Record<string, Fn> = {
      sum: (x) => x.sum(dim, keep), mean: (x) => x.mean(dim, keep), argmax: (x) => x.argmax(dim, keep),
      max: (x) => { const { values, indices } = x.max(dim, keep); return [values, indices]; },
      min: (x) => { const [values, indices] = torch.min(x, dim, keep); return [values, indices]; },
      norm: (x) => x.norm(2, dim, keep), var: (x) => x.var(dim, { keepdim: keep }),
    };
    return fns[op];
  }
  if (op === "meshgrid" && rest.length === 2) {
    return (a, b) => torch.meshgrid(a, b, { indexing: rest[0] as "ij" | "xy" })[Number(rest[1])];
  }
  if (op === "arange" && rest.length === 4) {
    const [a, b, step] = rest.slice(0, 3).map(Number);
    return () => torch.arange(a, b, step, { dtype: rest[3] as torch.DType });
  }
  const r = red(name);
  if (name.startsWith("crossEntropy probs")) return (z, p) => F.crossEntropy(z, p, { reduction: r });
  if (name.startsWith("crossEntropy smoothing")) return (z, y) => F.crossEntropy(z, y, { reduction: r, labelSmoothing: 0.1 });
  if (op === "crossEntropy") return (z, y) => F.crossEntropy(z, y, { reduction: r });
  if (op === "nllLoss") return (z, y) => F.nllLoss(z, y, { reduction: r });
  if (op === "mseLoss") return (a, b) => F.mseLoss(a, b, { reduction: r });
  if (op === "l1Loss") return (a, b) => F.l1Loss(a, b, { reduction: r });
  if (op === "bce") return (p, t) => F.binaryCrossEntropy(p, t, { reduction: r });
  if (name.startsWith("bceWithLogits posWeight")) {
    return (z, t) => F.binaryCrossEntropyWithLogits(z, t, { reduction: r, posWeight: torch.tensor([1, 2, 0.5]) });
  }
  if (op === "bceWithLogits") return (z, t) => F.binaryCrossEntropyWithLogits(z, t, { reduction: r });
  throw new Error(`parity test has no TypeScript twin for fixture case "${name}"`);
}

function expectClose(what: string, actual: Tensor, expected: Encoded): void {
  expect(actual.shape, `${what} shape`).toEqual(expected.shape);
  const a = actual.dataSync();
  const exact = expected.dtype !== "float32" && expected.dtype !== "float64";
  if (exact) expect(actual.dtype, `${what} dtype`).toBe(expected.dtype);
  expected.data.forEach((v, i) => {
    const e = num(v);
    if (exact) {
      if (a[i] !== e) expect.fail(`${what}[${i}]: got ${a[i]}, PyTorch ${e}`);
    } else if (!(Math.abs(a[i] - e) <= 1e-5 + 1e-4 * Math.abs(e)) && !(Number.isNaN(e) && Number.isNaN(a[i])) && a[i] !== e) {
      expect.fail(`${what}[${i}]: got ${a[i]}, PyTorch ${e}`);
    }
  });
}

describe("parity with PyTorch (fixtures/ops.json)", () => {
  it("covers a broad set of cases", () => expect(fixture.cases.length).toBeGreaterThan(150));
  // Under KERNEL_LIB_TEST_BACKEND=webgpu the default device's backend holds no float64 (WGSL has none): the
  // float64 cases are for the backends that hold it, and every other case runs.
  const held = getBackend("cpu").dtypes;
  const runnable = fixture.cases.filter((c) => !held || [...c.inputs, ...c.outputs].every((e) => held.includes(e.dtype as DType)));
  for (const c of runnable) {
    it(c.name, () => {
      const inputs = c.inputs.map((e) => {
        const t = decode(e);
        return c.grads && (e.dtype === "float32" || e.dtype === "float64") ? t.requiresGrad_() : t;
      });
      const result = resolve(c.name)(...inputs);
      const outs = Array.isArray(result) ? result : [result];
      c.outputs.forEach((e, i) => expectClose(`${c.name} output ${i}`, outs[i], e));
      if (c.grads && c.weights) {
        outs[0].mul(decode(c.weights)).sum().backward();
        c.grads.forEach((g, i) => {
          if (g) {
            expect(inputs[i].grad, `${c.name} grad ${i}`).not.toBeNull();
            expectClose(`${c.name} grad ${i}`, inputs[i].grad!, g);
          }
        });
      }
    });
  }
});

import type { BinaryOp, BroadcastPlan, UnaryOp } from "../backend";
import type { TypedArray } from "../../tensor/dtype";

/*
 * Elementwise kernels are generated once per op from a scalar expression, so each loop is monomorphic and
 * V8 compiles it to a tight typed-array loop (a shared loop calling a per-op closure would be megamorphic).
 * Broadcasting walks the output with precomputed per-input strides; the innermost dim is a plain loop.
 */

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** erf with |error| < 1.2e-7 (Numerical Recipes erfc), enough for float32 GELU. */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 +
        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r : r - 1;
}

function softplus(x: number, beta: number, threshold: number): number {
  const bx = beta * x;
  return bx > threshold ? x : Math.log1p(Math.exp(bx)) / beta;
}

function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

function logsigmoid(x: number): number {
  // log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|))
  return Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x)));
}

/** Helpers visible to generated code as `H.name`. */
const H = { erf, softplus, sigmoid, logsigmoid, SQRT_2_OVER_PI, INV_SQRT_2, INV_SQRT_2PI };

/** Scalar expressions over x (and parameters p0, p1). */
const UNARY: Record<UnaryOp, string> = {
  neg: "-x",
  exp: "Math.exp(x)",
  log: "Math.log(x)",
  sqrt: "Math.sqrt(x)",
  abs: "Math.abs(x)",
  sign: "(x > 0 ? 1 : x < 0 ? -1 : x)",
  sin: "Math.sin(x)",
  cos: "Math.cos(x)",
  floor: "Math.floor(x)",
  ceil: "Math.ceil(x)",
  round: "(Math.abs(x - Math.trunc(x)) === 0.5 ? 2 * Math.round(x / 2) : Math.round(x))",
  not: "(x ? 0 : 1)",
  relu: "(x > 0 || x !== x ? x : 0)", // NaN stays NaN (PyTorch, and the wasm kernel)
  sigmoid: "H.sigmoid(x)",
  tanh: "Math.tanh(x)",
  leakyRelu: "(x > 0 ? x : x * p0)",
  elu: "(x > 0 ? x : p0 * Math.expm1(x))",
  gelu: "0.5 * x * (1 + H.erf(x * H.INV_SQRT_2))",
  geluTanh: "0.5 * x * (1 + Math.tanh(H.SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)))",
  silu: "x * H.sigmoid(x)",
  mish: "x * Math.tanh(H.softplus(x, 1, 20))",
  softplus: "H.softplus(x, p0, p1)",
  softsign: "x / (1 + Math.abs(x))",
  hardtanh: "(x < p0 ? p0 : x > p1 ? p1 : x)",
  logsigmoid: "H.logsigmoid(x)",
  addScalar: "x + p0",
  clamp: "(x < p0 ? p0 : x > p1 ? p1 : x)",
};

/** Scalar expressions over a and b (and parameter p0). Grad ops: a is the incoming gradient. */
const BINARY: Record<BinaryOp, string> = {
  add: "a + b",
  sub: "a - b",
  mul: "a * b",
  div: "a / b",
  pow: "Math.pow(a, b)",
  maximum: "(a !== a || b !== b ? NaN : a > b ? a : b)",
  minimum: "(a !== a || b !== b ? NaN : a < b ? a : b)",
  eq: "(a === b ? 1 : 0)",
  ne: "(a !== b ? 1 : 0)",
  gt: "(a > b ? 1 : 0)",
  lt: "(a < b ? 1 : 0)",
  ge: "(a >= b ? 1 : 0)",
  le: "(a <= b ? 1 : 0)",
  and: "(a && b ? 1 : 0)",
  or: "(a || b ? 1 : 0)",
  // b = input x
  reluGrad: "(b > 0 ? a : 0)",
  leakyReluGrad: "(b > 0 ? a : a * p0)",
  eluGrad: "(b > 0 ? a : a * p0 * Math.exp(b))",
  geluGrad: "a * (0.5 * (1 + H.erf(b * H.INV_SQRT_2)) + b * H.INV_SQRT_2PI * Math.exp(-0.5 * b * b))",
  geluTanhGrad:
    "a * (function (x) { const u = H.SQRT_2_OVER_PI * (x + 0.044715 * x * x * x); const t = Math.tanh(u);" +
    " return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * H.SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x); })(b)",
  siluGrad: "a * (function (s, x) { return s * (1 + x * (1 - s)); })(H.sigmoid(b), b)",
  mishGrad:
    "a * (function (x) { const t = Math.tanh(H.softplus(x, 1, 20));" +
    " return t + x * (1 - t * t) * H.sigmoid(x); })(b)",
  softplusGrad: "(b * p0 > p1 ? a : a * H.sigmoid(b * p0))",
  softsignGrad: "a / ((1 + Math.abs(b)) * (1 + Math.abs(b)))",
  logsigmoidGrad: "a * (1 - H.sigmoid(b))",
  absGrad: "(b > 0 ? a : b < 0 ? -a : 0)",
  // b = output y
  sigmoidGrad: "a * b * (1 - b)",
  tanhGrad: "a * (1 - b * b)",
  sqrtGrad: "a / (2 * b)",
  // b = input x; p0 = exponent: d/dx x^p = p x^(p-1)
  powGradBase: "(p0 === 0 ? 0 : a * p0 * Math.pow(b, p0 - 1))",
  // b = input x; p0/p1 bounds are passed through hardtanh/clamp: gradient flows strictly inside
  hardtanhGrad: "(b <= p0 || b >= p1 ? 0 : a)",
  clampGrad: "(b < p0 || b > p1 ? 0 : a)",
};

type UnaryKernel = (x: TypedArray, out: TypedArray, n: number, p0: number, p1: number, H: unknown) => void;
type BinaryKernel = (
  a: TypedArray, b: TypedArray, out: TypedArray, shape: number[], sa: number[], sb: number[], p0: number, p1: number, H: unknown,
) => void;

const unaryCache = new Map<string, UnaryKernel>();
const binaryCache = new Map<string, BinaryKernel>();

function unaryKernel(op: UnaryOp): UnaryKernel {
  let k = unaryCache.get(op);
  if (!k) {
    const body = `for (let i = 0; i < n; i++) { const x = X[i]; out[i] = ${UNARY[op]}; }`;
    k = new Function("X", "out", "n", "p0", "p1", "H", body) as UnaryKernel;
    unaryCache.set(op, k);
  }
  return k;
}

/**
 * Binary kernel over an output of (already collapsed) shape with per-input strides. Rank 1 is a flat loop;
 * higher ranks walk an odometer over the outer dims and run the innermost dim as a flat loop.
 */
function binaryKernel(op: BinaryOp): BinaryKernel {
  let k = binaryCache.get(op);
  if (!k) {
    const expr = BINARY[op];
    const body = `
      const rank = shape.length;
      if (rank === 0) { const a = A[0], b = B[0]; out[0] = ${expr}; return; }
      const last = rank - 1, len = shape[last], ia = sa[last], ib = sb[last];
      let outer = 1;
      for (let d = 0; d < last; d++) outer *= shape[d];
      const idx = new Array(last).fill(0);
      let oa = 0, ob = 0, o = 0;
      for (let r = 0; r < outer; r++) {
        if (ia === 1 && ib === 1) {
          for (let i = 0; i < len; i++) { const a = A[oa + i], b = B[ob + i]; out[o + i] = ${expr}; }
        } else if (ib === 0 && ia === 1) {
          const b = B[ob];
          for (let i = 0; i < len; i++) { const a = A[oa + i]; out[o + i] = ${expr}; }
        } else if (ia === 0 && ib === 1) {
          const a = A[oa];
          for (let i = 0; i < len; i++) { const b = B[ob + i]; out[o + i] = ${expr}; }
        } else {
          for (let i = 0, pa = oa, pb = ob; i < len; i++, pa += ia, pb += ib) { const a = A[pa], b = B[pb]; out[o + i] = ${expr}; }
        }
        o += len;
        for (let d = last - 1; d >= 0; d--) {
          idx[d]++;
          oa += sa[d]; ob += sb[d];
          if (idx[d] < shape[d]) break;
          oa -= sa[d] * shape[d]; ob -= sb[d] * shape[d];
          idx[d] = 0;
        }
      }`;
    k = new Function("A", "B", "out", "shape", "sa", "sb", "p0", "p1", "H", body) as BinaryKernel;
    binaryCache.set(op, k);
  }
  return k;
}

export function unary(op: UnaryOp, x: TypedArray, out: TypedArray, p0 = 0, p1 = 0): void {
  unaryKernel(op)(x, out, out.length, p0, p1, H);
}

/**
 * Merges adjacent output dims that every input walks contiguously with respect to each other, so common
 * cases (same shape, bias over rows) run as one or two flat loops.
 */
export function collapse(shape: readonly number[], strides: readonly (readonly number[])[]): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, i) => s[d] * shape[d] === outStrides[i][last])) {
      outShape[last] *= shape[d];
      strides.forEach((s, i) => (outStrides[i][last] = s[d]));
    } else {
      outShape.push(shape[d]);
      strides.forEach((s, i) => outStrides[i].push(s[d]));
    }
  }
  return { shape: outShape, strides: outStrides };
}

export function binary(op: BinaryOp, a: TypedArray, b: TypedArray, out: TypedArray, plan: BroadcastPlan, p0 = 0, p1 = 0): void {
  if (out.length === 0) return;
  const c = collapse(plan.shape, plan.strides);
  binaryKernel(op)(a, b, out, c.shape, c.strides[0], c.strides[1], p0, p1, H);
}

/** out = cond ? a : b with broadcasting; plan strides are [cond, a, b]. */
export function where(cond: TypedArray, a: TypedArray, b: TypedArray, out: TypedArray, plan: BroadcastPlan): void {
  if (out.length === 0) return;
  const { shape, strides } = collapse(plan.shape, plan.strides);
  const rank = shape.length;
  const idx = new Array<number>(rank).fill(0);
  const offs = [0, 0, 0];
  for (let o = 0; o < out.length; o++) {
    out[o] = cond[offs[0]] ? a[offs[1]] : b[offs[2]];
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      for (let i = 0; i < 3; i++) offs[i] += strides[i][d];
      if (idx[d] < shape[d]) break;
      for (let i = 0; i < 3; i++) offs[i] -= strides[i][d] * shape[d];
      idx[d] = 0;
    }
  }
}

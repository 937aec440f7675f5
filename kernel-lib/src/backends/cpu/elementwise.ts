import type { BroadcastPlan, ElementwiseKernel } from "../backend";
import type { TypedArray } from "../../tensor/dtype";

/*
 * Elementwise kernels are generated once per kernel (declared in ops/defs) from its scalar expression, so each
 * loop is monomorphic and V8 compiles it to a tight typed-array loop (a shared loop calling a per-op closure
 * would be megamorphic).
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

/** round half to even, PyTorch's rule */
function round(x: number): number {
  return Math.abs(x - Math.trunc(x)) === 0.5 ? 2 * Math.round(x / 2) : Math.round(x);
}

/** The expression language's library (see ElementwiseKernel), visible to generated code as `H.name`. */
const H = { erf, softplus, sigmoid, logsigmoid, round, SQRT_2_OVER_PI, INV_SQRT_2, INV_SQRT_2PI };
const MATH_FUNCTIONS = new Set(["exp", "log", "sqrt", "abs", "sin", "cos", "tanh", "floor", "ceil", "trunc", "pow", "min", "max", "log1p", "expm1"]);
const GLOBALS = new Set(["p0", "p1", "NaN", "Infinity"]);

/**
 * Turns a kernel's expression into JavaScript: library calls become `Math.f`/`H.f`, constants `H.C`; any
 * other name must be an arg or a let, so a typo in a declaration fails when it is first compiled.
 */
function toJs(kernel: ElementwiseKernel, source: string): string {
  const locals = new Set([...kernel.args, ...(kernel.lets ?? []).map(([name]) => name)]);
  return source.replace(/(?<![.\w$])[A-Za-z_$][\w$]*/g, (name) => {
    if (MATH_FUNCTIONS.has(name)) return `Math.${name}`;
    if (name in H) return `H.${name}`;
    if (locals.has(name) || GLOBALS.has(name)) return name;
    throw new Error(`elementwise kernel ${kernel.name}: unknown name "${name}" in ${JSON.stringify(source)}`);
  });
}

/** `const v = ...;` for each let, then `out[at] = expr;` */
function statement(kernel: ElementwiseKernel, at: string): string {
  const lets = (kernel.lets ?? []).map(([name, e]) => `const ${name} = ${toJs(kernel, e)}; `).join("");
  return `${lets}out[${at}] = ${toJs(kernel, kernel.expr)};`;
}

type UnaryKernel = (x: TypedArray, out: TypedArray, n: number, p0: number, p1: number, H: unknown) => void;
type BinaryKernel = (
  a: TypedArray, b: TypedArray, out: TypedArray, shape: number[], sa: number[], sb: number[], p0: number, p1: number, H: unknown,
) => void;

const unaryCache = new Map<string, UnaryKernel>();
const binaryCache = new Map<string, BinaryKernel>();

function unaryKernel(kernel: ElementwiseKernel): UnaryKernel {
  let k = unaryCache.get(kernel.name);
  if (!k) {
    if (kernel.args.length !== 1) throw new Error(`unary: kernel ${kernel.name} takes ${kernel.args.length} inputs`);
    const [x] = kernel.args;
    const body = `for (let i = 0; i < n; i++) { const ${x} = X[i]; ${statement(kernel, "i")} }`;
    k = new Function("X", "out", "n", "p0", "p1", "H", body) as UnaryKernel;
    unaryCache.set(kernel.name, k);
  }
  return k;
}

/**
 * Binary kernel over an output of (already collapsed) shape with per-input strides. Rank 1 is a flat loop;
 * higher ranks walk an odometer over the outer dims and run the innermost dim as a flat loop.
 */
function binaryKernel(kernel: ElementwiseKernel): BinaryKernel {
  let k = binaryCache.get(kernel.name);
  if (!k) {
    if (kernel.args.length !== 2) throw new Error(`binary: kernel ${kernel.name} takes ${kernel.args.length} inputs`);
    const [a, b] = kernel.args;
    const st = (at: string) => statement(kernel, at);
    const body = `
      const rank = shape.length;
      if (rank === 0) { const ${a} = A[0], ${b} = B[0]; ${st("0")} return; }
      const last = rank - 1, len = shape[last], ia = sa[last], ib = sb[last];
      let outer = 1;
      for (let d = 0; d < last; d++) outer *= shape[d];
      const idx = new Array(last).fill(0);
      let oa = 0, ob = 0, o = 0;
      for (let r = 0; r < outer; r++) {
        if (ia === 1 && ib === 1) {
          for (let i = 0; i < len; i++) { const ${a} = A[oa + i], ${b} = B[ob + i]; ${st("o + i")} }
        } else if (ib === 0 && ia === 1) {
          const ${b} = B[ob];
          for (let i = 0; i < len; i++) { const ${a} = A[oa + i]; ${st("o + i")} }
        } else if (ia === 0 && ib === 1) {
          const ${a} = A[oa];
          for (let i = 0; i < len; i++) { const ${b} = B[ob + i]; ${st("o + i")} }
        } else {
          for (let i = 0, pa = oa, pb = ob; i < len; i++, pa += ia, pb += ib) { const ${a} = A[pa], ${b} = B[pb]; ${st("o + i")} }
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
    binaryCache.set(kernel.name, k);
  }
  return k;
}

export function unary(kernel: ElementwiseKernel, x: TypedArray, out: TypedArray, p0 = 0, p1 = 0): void {
  unaryKernel(kernel)(x, out, out.length, p0, p1, H);
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

export function binary(kernel: ElementwiseKernel, a: TypedArray, b: TypedArray, out: TypedArray, plan: BroadcastPlan, p0 = 0, p1 = 0): void {
  if (out.length === 0) return;
  const c = collapse(plan.shape, plan.strides);
  binaryKernel(kernel)(a, b, out, c.shape, c.strides[0], c.strides[1], p0, p1, H);
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

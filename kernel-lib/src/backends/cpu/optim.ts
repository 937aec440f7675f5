/**
 * The fused per-parameter update loops. Each exists twice, for Float32Array (every intermediate rounded with
 * Math.fround, as PyTorch rounds each float32 op) and for Float64Array, because V8 only keeps a loop fast when
 * its typed-array accesses and calls see one type: one shared loop for both measured 25x slower.
 * float32 Adam (without amsgrad or maximize) runs on the wasm SIMD kernel when there is one (5x faster, copies
 * included); SGD stays here, bit-exact with PyTorch's fused p - lr·g (see plainSgdF32).
 * Where the native addon is built, plain float32 SGD and float32 Adam run there instead (same rounding, no copies:
 * the TypeScript SGD loop took 0.43 ms per step on the lecture's 575k-parameter MLP).
 */
import type { AdamStepArgs, SgdStepArgs } from "../backend";
import type { TypedArray } from "../../tensor/dtype";
import { wasmAdamStepPrecomputedF32, wasmResidentSgdF32 } from "./wasm/training";
import { nativeAdamF32, nativeSgdF32 } from "./native";

/** The step's arguments with the momentum buffer. */
interface SGDArgs extends SgdStepArgs {
  buf: Float32Array | Float64Array | null;
}

function sgdF32(param: Float32Array, grad: Float32Array, a: SGDArgs): void {
  if (a.buf === null && a.weightDecay === 0 && a.sign === 1) {
    const lr = Math.fround(a.lr);
    if (!nativeSgdF32(param, grad, lr) && !wasmResidentSgdF32(param, grad, lr)) plainSgdF32(param, grad, lr);
    return;
  }
  const r = Math.fround;
  const lr = r(a.lr), wd = r(a.weightDecay), mom = r(a.momentum), keep = r(a.keep), sign = a.sign;
  const buf = a.buf as Float32Array | null, first = a.first, nesterov = a.nesterov;
  for (let i = 0, n = param.length; i < n; i++) {
    let d = wd !== 0 ? r(sign * grad[i] + wd * param[i]) : sign * grad[i];
    if (buf !== null) {
      const b = first ? d : r(r(buf[i] * mom) + keep * d);
      buf[i] = b;
      d = nesterov ? r(d + mom * b) : b;
    }
    param[i] = r(param[i] - lr * d);
  }
}

/**
 * p -= lr·g, the common case (no momentum, no weight decay), unrolled by 4: 2x faster than the general loop.
 * lr·g is exact in float64 (24-bit × 24-bit), so storing p - lr·g rounds once, as the general loop's fround does.
 * (The wasm SGD kernel rounds lr·g to float32 before subtracting, which is not PyTorch's fused rounding.)
 */
function plainSgdF32(param: Float32Array, grad: Float32Array, lr: number): void {
  const n = param.length;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    param[i] = param[i] - lr * grad[i];
    param[i + 1] = param[i + 1] - lr * grad[i + 1];
    param[i + 2] = param[i + 2] - lr * grad[i + 2];
    param[i + 3] = param[i + 3] - lr * grad[i + 3];
  }
  for (; i < n; i++) param[i] = param[i] - lr * grad[i];
}

function sgdF64(param: Float64Array, grad: Float64Array, a: SGDArgs): void {
  const lr = a.lr, wd = a.weightDecay, mom = a.momentum, keep = a.keep, sign = a.sign;
  const buf = a.buf as Float64Array | null, first = a.first, nesterov = a.nesterov;
  for (let i = 0, n = param.length; i < n; i++) {
    let d = wd !== 0 ? sign * grad[i] + wd * param[i] : sign * grad[i];
    if (buf !== null) {
      const b = first ? d : buf[i] * mom + keep * d;
      buf[i] = b;
      d = nesterov ? d + mom * b : b;
    }
    param[i] = param[i] - lr * d;
  }
}

/** The step's arguments with the state buffers. */
interface AdamArgs extends AdamStepArgs {
  m: Float32Array | Float64Array;
  v: Float32Array | Float64Array;
  vmax: Float32Array | Float64Array | null;
}

function adamF32(param: Float32Array, grad: Float32Array, a: AdamArgs): void {
  // the wasm kernel's convention (one of weightDecay and shrink): AdamW passes weightDecay 1 as a marker with
  // decoupled, and shrink as the decay
  if (a.vmax === null && a.sign === 1 && !(a.weightDecay !== 0 && a.shrink !== 1) && nativeAdamF32(param, grad, a.m as Float32Array, a.v as Float32Array, {
    oneMinusBeta1: 1 - a.beta1, beta2: a.beta2, oneMinusBeta2: 1 - a.beta2, eps: a.eps, weightDecay: a.shrink !== 1 ? 1 : a.weightDecay,
    decoupled: a.shrink !== 1, decay: a.shrink, stepSize: a.stepSize, bc2Sqrt: a.bc2Sqrt,
  })) return;
  if (a.vmax === null && a.sign === 1 && wasmAdamStepPrecomputedF32(param, grad, a.m as Float32Array, a.v as Float32Array, {
    oneMinusBeta1: 1 - a.beta1, beta2: a.beta2, oneMinusBeta2: 1 - a.beta2, eps: a.eps, weightDecay: a.weightDecay,
    shrink: a.shrink, stepSize: a.stepSize, bc2Sqrt: a.bc2Sqrt,
  })) return;
  const r = Math.fround;
  const b1 = r(a.beta1), b2 = r(a.beta2), c1 = r(1 - a.beta1), c2 = r(1 - a.beta2);
  const stepSize = r(a.stepSize), bc2Sqrt = r(a.bc2Sqrt), eps = r(a.eps), wd = r(a.weightDecay), shrink = r(a.shrink);
  const sign = a.sign, m = a.m as Float32Array, v = a.v as Float32Array, vmax = a.vmax as Float32Array | null;
  for (let i = 0, n = param.length; i < n; i++) {
    const p = shrink !== 1 ? r(param[i] * shrink) : param[i];
    const g = wd !== 0 ? r(sign * grad[i] + wd * p) : sign * grad[i];
    const mi = r(r(m[i] * b1) + c1 * g);
    const vi = r(r(v[i] * b2) + r(r(c2 * g) * g));
    m[i] = mi;
    v[i] = vi;
    let second = vi;
    if (vmax !== null) {
      second = vmax[i] > vi ? vmax[i] : vi;
      vmax[i] = second;
    }
    const denom = r(r(r(Math.sqrt(second)) / bc2Sqrt) + eps);
    param[i] = r(p - r(r(stepSize * mi) / denom));
  }
}

function adamF64(param: Float64Array, grad: Float64Array, a: AdamArgs): void {
  const b1 = a.beta1, b2 = a.beta2, c1 = 1 - a.beta1, c2 = 1 - a.beta2;
  const stepSize = a.stepSize, bc2Sqrt = a.bc2Sqrt, eps = a.eps, wd = a.weightDecay, shrink = a.shrink;
  const sign = a.sign, m = a.m as Float64Array, v = a.v as Float64Array, vmax = a.vmax as Float64Array | null;
  for (let i = 0, n = param.length; i < n; i++) {
    const p = shrink !== 1 ? param[i] * shrink : param[i];
    const g = wd !== 0 ? sign * grad[i] + wd * p : sign * grad[i];
    const mi = m[i] * b1 + c1 * g;
    const vi = v[i] * b2 + c2 * g * g;
    m[i] = mi;
    v[i] = vi;
    let second = vi;
    if (vmax !== null) {
      second = vmax[i] > vi ? vmax[i] : vi;
      vmax[i] = second;
    }
    const denom = Math.sqrt(second) / bc2Sqrt + eps;
    param[i] = p - (stepSize * mi) / denom;
  }
}

/** The CPU backend's sgdStep: one loop per dtype. */
export function sgdStep(param: TypedArray, grad: TypedArray, buf: TypedArray | null, args: SgdStepArgs): void {
  const a: SGDArgs = { ...args, buf: buf as Float32Array | Float64Array | null };
  if (param instanceof Float32Array) sgdF32(param, grad as Float32Array, a);
  else sgdF64(param as Float64Array, grad as Float64Array, a);
}

/** The CPU backend's adamStep: the wasm kernel for float32 where it applies, else one loop per dtype. */
export function adamStep(param: TypedArray, grad: TypedArray, m: TypedArray, v: TypedArray, vmax: TypedArray | null, args: AdamStepArgs): void {
  const a: AdamArgs = { ...args, m: m as Float32Array | Float64Array, v: v as Float32Array | Float64Array, vmax: vmax as Float32Array | Float64Array | null };
  if (param instanceof Float32Array) adamF32(param, grad as Float32Array, a);
  else adamF64(param as Float64Array, grad as Float64Array, a);
}

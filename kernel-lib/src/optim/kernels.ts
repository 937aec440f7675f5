/**
 * The fused per-parameter update loops. Each exists twice, for Float32Array (every intermediate rounded with
 * Math.fround, as PyTorch rounds each float32 op) and for Float64Array, because V8 only keeps a loop fast when
 * its typed-array accesses and calls see one type: one shared loop for both measured 25x slower.
 */

export interface SGDArgs {
  lr: number;
  weightDecay: number;
  momentum: number;
  /** 1 - dampening */
  keep: number;
  nesterov: boolean;
  /** -1 to maximize */
  sign: number;
  /** the momentum buffer, or null without momentum */
  buf: Float32Array | Float64Array | null;
  /** the first momentum step copies d into the buffer */
  first: boolean;
}

export function sgdF32(param: Float32Array, grad: Float32Array, a: SGDArgs): void {
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

export function sgdF64(param: Float64Array, grad: Float64Array, a: SGDArgs): void {
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

export interface AdamArgs {
  beta1: number;
  beta2: number;
  /** lr / (1 - beta1^step) */
  stepSize: number;
  /** sqrt(1 - beta2^step) */
  bc2Sqrt: number;
  eps: number;
  /** L2 weight decay added to the gradient (Adam), 0 for AdamW */
  weightDecay: number;
  /** 1 - lr·weightDecay for AdamW, 1 for Adam */
  shrink: number;
  sign: number;
  m: Float32Array | Float64Array;
  v: Float32Array | Float64Array;
  vmax: Float32Array | Float64Array | null;
}

export function adamF32(param: Float32Array, grad: Float32Array, a: AdamArgs): void {
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

export function adamF64(param: Float64Array, grad: Float64Array, a: AdamArgs): void {
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

// Fused training kernels on f32 arrays in linear memory (byte pointers). Labels are validated by the caller.
import { expf4, hmax, hsum } from "./simd";

/**
 * Softmax cross-entropy over logits [rows, cols] with int32 labels, forward and backward in one pass per row.
 * Writes each row's loss to losses (when non-zero) and (softmax - onehot) * gradScale to grad (when non-zero;
 * grad may alias logits). Returns the sum of the row losses.
 */
export function softmaxCrossEntropy(
  logits: usize, labels: usize, rows: i32, cols: i32, losses: usize, grad: usize, gradScale: f32,
): f64 {
  let total: f64 = 0;
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const x = logits + <usize>r * rowBytes;
    // row max
    let mx = f32x4.splat(-Infinity);
    let j = 0;
    for (; j + 4 <= cols; j += 4) mx = f32x4.max(mx, v128.load(x + (<usize>j << 2)));
    let m = hmax(mx);
    for (; j < cols; j++) m = max(m, load<f32>(x + (<usize>j << 2)));
    // sum of exp(x - max); exp values parked in the grad row when there is one
    const mv = f32x4.splat(m);
    const g = grad ? grad + <usize>r * rowBytes : 0;
    let sv = f32x4.splat(0);
    j = 0;
    for (; j + 4 <= cols; j += 4) {
      const e = expf4(f32x4.sub(v128.load(x + (<usize>j << 2)), mv));
      sv = f32x4.add(sv, e);
      if (g) v128.store(g + (<usize>j << 2), e);
    }
    let s = hsum(sv);
    for (; j < cols; j++) {
      const e = f32x4.extract_lane(expf4(f32x4.splat(load<f32>(x + (<usize>j << 2)) - m)), 0);
      s += e;
      if (g) store<f32>(g + (<usize>j << 2), e);
    }
    const label = load<i32>(labels + (<usize>r << 2));
    const loss = <f32>(<f64>m + Math.log(<f64>s) - <f64>load<f32>(x + (<usize>label << 2)));
    total += <f64>loss;
    if (losses) store<f32>(losses + (<usize>r << 2), loss);
    if (g) {
      const k = f32x4.splat(gradScale / s);
      j = 0;
      for (; j + 4 <= cols; j += 4) v128.store(g + (<usize>j << 2), f32x4.mul(v128.load(g + (<usize>j << 2)), k));
      for (; j < cols; j++) store<f32>(g + (<usize>j << 2), load<f32>(g + (<usize>j << 2)) * (gradScale / s));
      store<f32>(g + (<usize>label << 2), load<f32>(g + (<usize>label << 2)) - gradScale);
    }
  }
  return total;
}

/**
 * PyTorch's SGD step on one parameter: g' = g + wd*p; buf = first ? g' : momentum*buf + g';
 * step = nesterov ? g' + momentum*buf : buf (g' when momentum is 0, buf unused); p -= lr*step. g is not written.
 */
export function sgdStep(
  p: usize, g: usize, buf: usize, n: i32, lr: f32, momentum: f32, weightDecay: f32, nesterov: bool, first: bool,
): void {
  const vlr = f32x4.splat(lr), vmom = f32x4.splat(momentum), vwd = f32x4.splat(weightDecay);
  const useMomentum = momentum != 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const pv = v128.load(p + o);
    let gv = v128.load(g + o);
    if (weightDecay != 0) gv = f32x4.add(gv, f32x4.mul(vwd, pv));
    if (useMomentum) {
      const bv = first ? gv : f32x4.add(f32x4.mul(vmom, v128.load(buf + o)), gv);
      v128.store(buf + o, bv);
      gv = nesterov ? f32x4.add(gv, f32x4.mul(vmom, bv)) : bv;
    }
    v128.store(p + o, f32x4.sub(pv, f32x4.mul(vlr, gv)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const pv = load<f32>(p + o);
    let gv = load<f32>(g + o);
    if (weightDecay != 0) gv = gv + weightDecay * pv;
    if (useMomentum) {
      const bv = first ? gv : momentum * load<f32>(buf + o) + gv;
      store<f32>(buf + o, bv);
      gv = nesterov ? gv + momentum * bv : bv;
    }
    store<f32>(p + o, pv - lr * gv);
  }
}

/**
 * Plain SGD, p -= lr*g, rounded as PyTorch's fused CPU loop and kernel-lib's TypeScript one (optim.ts plainSgdF32):
 * lr*g is exact in float64 (24-bit by 24-bit mantissas), p - lr*g is rounded to float64 and then to float32, the
 * same two roundings as `param[i] - lr * grad[i]` stored into a Float32Array. Two f64 lanes per operation.
 */
export function sgdPlainF32(p: usize, g: usize, n: i32, lr: f64): void {
  const vlr = f64x2.splat(lr);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const pv = v128.load(p + o), gv = v128.load(g + o);
    const pHigh = i8x16.shuffle(pv, pv, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);
    const gHigh = i8x16.shuffle(gv, gv, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);
    const low = f32x4.demote_f64x2_zero(f64x2.sub(f64x2.promote_low_f32x4(pv), f64x2.mul(vlr, f64x2.promote_low_f32x4(gv))));
    const high = f32x4.demote_f64x2_zero(f64x2.sub(f64x2.promote_low_f32x4(pHigh), f64x2.mul(vlr, f64x2.promote_low_f32x4(gHigh))));
    v128.store(p + o, i64x2.shuffle(low, high, 0, 2));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(p + o, <f32>(<f64>load<f32>(p + o) - lr * <f64>load<f32>(g + o)));
  }
}

/**
 * PyTorch's Adam/AdamW step on one parameter (single-tensor path): decoupled ? p *= 1 - lr*wd : g' = g + wd*p;
 * m = lerp(m, g', 1-b1); v = b2*v + (1-b2)*g'^2; p -= stepSize * m / (sqrt(v)/bc2Sqrt + eps),
 * with stepSize = lr/(1-b1^t), bc2Sqrt = sqrt(1-b2^t), oneMinusBeta1/2 and decay = 1 - lr*wd computed by the
 * caller in float64 (1 - b in float32 would be off by ~1e-5 relative for b = 0.999), as PyTorch passes them.
 */
export function adamStep(
  p: usize, g: usize, m: usize, v: usize, n: i32, oneMinusBeta1: f32, beta2: f32, oneMinusBeta2: f32, eps: f32,
  weightDecay: f32, decoupled: bool, decay: f32, stepSize: f32, bc2Sqrt: f32,
): void {
  const w1 = f32x4.splat(oneMinusBeta1), vb2 = f32x4.splat(beta2), w2 = f32x4.splat(oneMinusBeta2);
  const veps = f32x4.splat(eps), vstep = f32x4.splat(stepSize), vbc2 = f32x4.splat(bc2Sqrt);
  const vwd = f32x4.splat(weightDecay), vdecay = f32x4.splat(decay);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    let pv = v128.load(p + o);
    let gv = v128.load(g + o);
    if (weightDecay != 0) {
      if (decoupled) pv = f32x4.mul(pv, vdecay);
      else gv = f32x4.add(gv, f32x4.mul(vwd, pv));
    }
    let mv = v128.load(m + o);
    mv = f32x4.add(mv, f32x4.mul(w1, f32x4.sub(gv, mv)));
    const vv = f32x4.add(f32x4.mul(v128.load(v + o), vb2), f32x4.mul(w2, f32x4.mul(gv, gv)));
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(vv), vbc2), veps);
    pv = f32x4.sub(pv, f32x4.mul(vstep, f32x4.div(mv, denom)));
    v128.store(m + o, mv);
    v128.store(v + o, vv);
    v128.store(p + o, pv);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    let pv = load<f32>(p + o);
    let gv = load<f32>(g + o);
    if (weightDecay != 0) {
      if (decoupled) pv = pv * decay;
      else gv = gv + weightDecay * pv;
    }
    let mv = load<f32>(m + o);
    mv = mv + oneMinusBeta1 * (gv - mv);
    const vv = load<f32>(v + o) * beta2 + oneMinusBeta2 * (gv * gv);
    const denom = Mathf.sqrt(vv) / bc2Sqrt + eps;
    store<f32>(m + o, mv);
    store<f32>(v + o, vv);
    store<f32>(p + o, pv - stepSize * (mv / denom));
  }
}

// Fused loss and optimizer kernels on the wasm runtime, with TypeScript fallbacks.
import { checkDims, checkFloat32, checkSameLength } from "./check";
import { adamStepTs, sgdStepTs, softmaxCrossEntropyTs } from "./fallback";
import { getRuntime } from "./runtime";

type F32 = Float32Array;

/**
 * Softmax cross-entropy over logits [rows, cols] with int32 labels, forward and backward in one pass.
 * Writes per-row losses to `losses` and (softmax − onehot)·gradScale to `grad` when they are given (grad may be
 * the logits array itself). Returns the sum of the row losses (divide by rows for the mean; pass
 * gradScale = 1/rows for the mean's gradient). A label outside [0, cols) throws, naming it.
 */
export function wasmSoftmaxCrossEntropyF32(
  logits: F32, labels: Int32Array, rows: number, cols: number, losses: F32 | null, grad: F32 | null, gradScale: number,
): number {
  const op = "wasmSoftmaxCrossEntropyF32";
  checkDims(op, { rows, cols });
  checkFloat32(op, "logits", logits);
  if (!(labels instanceof Int32Array)) throw new Error(`${op}: labels must be an Int32Array`);
  if (logits.length !== rows * cols) throw new Error(`${op}: logits has ${logits.length} elements, expected [${rows},${cols}]`);
  if (labels.length !== rows) throw new Error(`${op}: labels has ${labels.length} elements, expected ${rows} (one per row)`);
  if (losses && losses.length !== rows) throw new Error(`${op}: losses has ${losses.length} elements, expected ${rows}`);
  if (grad && grad.length !== rows * cols) throw new Error(`${op}: grad has ${grad.length} elements, expected [${rows},${cols}]`);
  for (let r = 0; r < rows; r++) {
    const label = labels[r];
    if (label < 0 || label >= cols) throw new Error(`${op}: label ${label} at row ${r} is out of range for ${cols} classes`);
  }
  const rt = getRuntime();
  if (!rt || rows === 0) return softmaxCrossEntropyTs(logits, labels, rows, cols, losses, grad, gradScale);
  rt.resetArena();
  const xPtr = rt.alloc(rows * cols * 4), lPtr = rt.alloc(rows * 4);
  const lossPtr = losses ? rt.alloc(rows * 4) : 0, gPtr = grad ? rt.alloc(rows * cols * 4) : 0;
  rt.reserve();
  rt.f32().set(logits, xPtr >> 2);
  rt.i32().set(labels, lPtr >> 2);
  const total = rt.exports.softmaxCrossEntropy(xPtr, lPtr, rows, cols, lossPtr, gPtr, gradScale);
  const heap = rt.f32();
  if (losses) losses.set(heap.subarray(lossPtr >> 2, (lossPtr >> 2) + rows));
  if (grad) grad.set(heap.subarray(gPtr >> 2, (gPtr >> 2) + rows * cols));
  return total;
}

export interface SgdOptions {
  lr: number;
  momentum: number;
  weightDecay: number;
  nesterov: boolean;
  /** True on the parameter's first step with momentum: the buffer starts as the gradient (PyTorch). */
  firstStep: boolean;
}

/**
 * One PyTorch SGD step on one parameter, in place: g' = g + wd·p; buf = first ? g' : momentum·buf + g';
 * p −= lr·(nesterov ? g' + momentum·buf : buf). With momentum 0, buf may be null and p −= lr·g'. g is not changed.
 */
export function wasmSgdStepF32(param: F32, grad: F32, buf: F32 | null, opts: SgdOptions): void {
  const op = "wasmSgdStepF32";
  checkFloat32(op, "param", param); checkFloat32(op, "grad", grad);
  const n = checkSameLength(op, buf ? { param, grad, buf } : { param, grad });
  if (opts.momentum !== 0 && !buf) throw new Error(`${op}: momentum ${opts.momentum} needs a momentum buffer`);
  if (opts.nesterov && opts.momentum <= 0) throw new Error(`${op}: nesterov needs a positive momentum, got ${opts.momentum}`);
  const rt = getRuntime();
  if (!rt) return sgdStepTs(param, grad, buf, opts.lr, opts.momentum, opts.weightDecay, opts.nesterov, opts.firstStep);
  const useBuf = opts.momentum !== 0 && buf !== null;
  rt.resetArena();
  const pPtr = rt.alloc(n * 4), gPtr = rt.alloc(n * 4), bPtr = useBuf ? rt.alloc(n * 4) : 0;
  rt.reserve();
  const heap = rt.f32();
  heap.set(param, pPtr >> 2);
  heap.set(grad, gPtr >> 2);
  if (useBuf && buf && !opts.firstStep) heap.set(buf, bPtr >> 2);
  rt.exports.sgdStep(pPtr, gPtr, bPtr, n, opts.lr, opts.momentum, opts.weightDecay, +opts.nesterov, +opts.firstStep);
  param.set(heap.subarray(pPtr >> 2, (pPtr >> 2) + n));
  if (useBuf && buf) buf.set(heap.subarray(bPtr >> 2, (bPtr >> 2) + n));
}

export interface AdamOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** AdamW: decay the parameter (p *= 1 − lr·wd) instead of adding wd·p to the gradient. */
  decoupled: boolean;
  /** The step number after incrementing, starting at 1. */
  step: number;
}

/**
 * One PyTorch Adam/AdamW step on one parameter, in place on param, expAvg (m) and expAvgSq (v):
 * m = lerp(m, g, 1−b1); v = b2·v + (1−b2)·g²; p −= lr/(1−b1^t) · m / (sqrt(v)/sqrt(1−b2^t) + eps).
 */
export function wasmAdamStepF32(param: F32, grad: F32, expAvg: F32, expAvgSq: F32, opts: AdamOptions): void {
  const op = "wasmAdamStepF32";
  for (const [name, a] of Object.entries({ param, grad, expAvg, expAvgSq })) checkFloat32(op, name, a);
  checkSameLength(op, { param, grad, expAvg, expAvgSq });
  if (!Number.isInteger(opts.step) || opts.step < 1) throw new Error(`${op}: step must be an integer >= 1, got ${opts.step}`);
  const stepSize = opts.lr / (1 - Math.pow(opts.beta1, opts.step));
  const bc2Sqrt = Math.sqrt(1 - Math.pow(opts.beta2, opts.step));
  const { lr, beta1, beta2, eps, weightDecay, decoupled } = opts;
  const coefficients: AdamCoefficients = {
    oneMinusBeta1: 1 - beta1,
    beta2,
    oneMinusBeta2: 1 - beta2,
    eps,
    weightDecay: decoupled ? 0 : weightDecay,
    shrink: decoupled ? 1 - lr * weightDecay : 1,
    stepSize,
    bc2Sqrt,
  };
  if (!wasmAdamStepPrecomputedF32(param, grad, expAvg, expAvgSq, coefficients)) {
    adamStepTs(param, grad, expAvg, expAvgSq, lr, beta1, beta2, eps, weightDecay, decoupled, stepSize, bc2Sqrt);
  }
}

/** Adam/AdamW step coefficients as the optimizer precomputes them (float64; the kernel rounds them to float32). */
export interface AdamCoefficients {
  oneMinusBeta1: number;
  beta2: number;
  oneMinusBeta2: number;
  eps: number;
  /** L2 decay added to the gradient (Adam); 0 for none */
  weightDecay: number;
  /** p *= shrink before the step (AdamW: 1 − lr·wd); 1 for none */
  shrink: number;
  /** lr / (1 − beta1^t) */
  stepSize: number;
  /** sqrt(1 − beta2^t) */
  bc2Sqrt: number;
}

/**
 * The same kernel as wasmAdamStepF32 with the bias corrections already computed (what optim's Adam passes).
 * Returns false, changing nothing, when the runtime has no wasm kernels.
 */
export function wasmAdamStepPrecomputedF32(param: F32, grad: F32, expAvg: F32, expAvgSq: F32, c: AdamCoefficients): boolean {
  const op = "wasmAdamStepPrecomputedF32";
  const rt = getRuntime();
  if (!rt) return false;
  const n = checkSameLength(op, { param, grad, expAvg, expAvgSq });
  if (c.weightDecay !== 0 && c.shrink !== 1) throw new Error(`${op}: give either weightDecay (Adam) or shrink (AdamW), not both`);
  rt.resetArena();
  // resident arrays (a parameter's storage and its optimizer state, WasmRuntime.residentF32) are updated in place
  const arrays = [param, grad, expAvg, expAvgSq];
  const resident = arrays.map((x) => rt.residentOffset(x));
  const [pPtr, gPtr, mPtr, vPtr] = resident.map((r) => (r >= 0 ? r : rt.alloc(n * 4)));
  rt.reserve();
  const heap = rt.f32();
  const ptrs = [pPtr, gPtr, mPtr, vPtr];
  arrays.forEach((x, i) => { if (resident[i] < 0) heap.set(x, ptrs[i] >> 2); });
  // The kernel applies decay only when weightDecay != 0: AdamW passes a nonzero marker with decoupled = 1.
  const decoupled = c.shrink !== 1;
  rt.exports.adamStep(pPtr, gPtr, mPtr, vPtr, n, c.oneMinusBeta1, c.beta2, c.oneMinusBeta2, c.eps,
    decoupled ? 1 : c.weightDecay, +decoupled, c.shrink, c.stepSize, c.bc2Sqrt);
  for (const i of [0, 2, 3]) if (resident[i] < 0) arrays[i].set(heap.subarray(ptrs[i] >> 2, (ptrs[i] >> 2) + n));
  return true;
}

/**
 * p -= lr·g in place on the wasm kernel, rounded as PyTorch's loop and optim.ts's plainSgdF32 (bit-identical), when
 * `param` is resident in wasm memory (a module's parameter, WasmRuntime.residentF32); the gradient is copied in
 * unless it is resident too. Returns false, changing nothing, for any other parameter (the TypeScript loop runs).
 */
export function wasmResidentSgdF32(param: F32, grad: F32, lr: number): boolean {
  const rt = getRuntime();
  if (!rt) return false;
  const pPtr = rt.residentOffset(param);
  if (pPtr < 0) return false;
  const n = checkSameLength("wasmResidentSgdF32", { param, grad });
  rt.resetArena();
  const gRes = rt.residentOffset(grad);
  const gPtr = gRes >= 0 ? gRes : rt.alloc(n * 4);
  rt.reserve();
  if (gRes < 0) rt.f32().set(grad, gPtr >> 2);
  rt.exports.sgdPlainF32(pPtr, gPtr, n, lr);
  return true;
}

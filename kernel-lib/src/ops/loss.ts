import { isGradEnabled, record } from "../tensor/autograd";
import { isFloating } from "../tensor/dtype";
import { formatShape, sameShape } from "../tensor/shape";
import { Tensor } from "../tensor/tensor-class";
import { UNARY } from "./defs/index";
import { alloc, backendOf } from "./core";
import { add, binaryRaw, mul, sub } from "./elementwise";
import { mean, sum } from "./reduce";
import { reshape, unsqueeze } from "./shape";
import { gather } from "./index";
import { logSoftmax } from "./softmax";
import { clamp, log, unaryRaw } from "./unary";

export type Reduction = "none" | "mean" | "sum";

export interface LossOptions {
  reduction?: Reduction;
}

function reduce(op: string, loss: Tensor, reduction: Reduction | undefined): Tensor {
  switch (reduction ?? "mean") {
    case "mean":
      return mean(loss);
    case "sum":
      return sum(loss);
    case "none":
      return loss;
    default:
      throw new Error(`${op}: reduction must be "none", "mean" or "sum", got ${JSON.stringify(reduction)}`);
  }
}

function checkFloat(op: string, what: string, t: Tensor): void {
  if (!(t instanceof Tensor)) throw new Error(`${op}: ${what} must be a Tensor`);
  if (!isFloating(t.dtype)) throw new Error(`${op}: ${what} must be floating point, got ${t.dtype}; convert it with .float()`);
}

function checkSameShape(op: string, input: Tensor, target: Tensor): void {
  if (!sameShape(input.shape, target.shape)) {
    throw new Error(
      `${op}: input shape ${formatShape(input.shape)} and target shape ${formatShape(target.shape)} differ; ` +
        `reshape one to match (e.g. target.reshape(input.shape)) so the loss is not silently broadcast`,
    );
  }
}

/** Class labels as int32 [N] for logits [N, C] (or a 0-d label for logits [C]), each in 0..C-1. */
function checkLabels(op: string, logits: Tensor, target: Tensor): void {
  if (!(target instanceof Tensor)) throw new Error(`${op}: target must be a Tensor of class indices`);
  if (target.dtype !== "int32" && target.dtype !== "uint8") {
    throw new Error(`${op}: target must hold int32 class indices, got ${target.dtype}; convert it with target.long() (or pass class probabilities of the input's shape)`);
  }
  const batched = logits.dim() === 2;
  if (logits.dim() < 1 || logits.dim() > 2) {
    throw new Error(`${op}: input must be [batch, classes] or [classes], got ${formatShape(logits.shape)}`);
  }
  if (batched ? target.dim() !== 1 || target.shape[0] !== logits.shape[0] : target.dim() !== 0) {
    throw new Error(`${op}: target of shape ${formatShape(target.shape)} does not match input ${formatShape(logits.shape)} (expected ${batched ? `[${logits.shape[0]}]` : "[]"})`);
  }
  const classes = logits.shape[logits.dim() - 1];
  const labels = backendOf(target).readSync(target._data);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (v < 0 || v >= classes) {
      throw new Error(`${op}: target label ${v} (at position ${i}) is out of range for ${classes} classes (labels must be 0..${classes - 1})`);
    }
  }
}

/**
 * Cross-entropy from logits, fused: forward takes the stable log-softmax and picks each row's label;
 * backward is (softmax - onehot) scaled by the incoming gradient, without building the log-softmax graph.
 * Targets are class indices (int32) or class probabilities of the logits' shape.
 */
export function crossEntropy(logits: Tensor, target: Tensor, options: LossOptions & { labelSmoothing?: number } = {}): Tensor {
  checkFloat("crossEntropy", "input", logits);
  const smoothing = options.labelSmoothing ?? 0;
  if (target instanceof Tensor && isFloating(target.dtype) && sameShape(target.shape, logits.shape)) {
    const dim = logits.dim() === 1 ? 0 : 1;
    const probs = smoothing ? add(mul(target, 1 - smoothing), smoothing / logits.shape[dim]) : target;
    return reduce("crossEntropy", mul(sum(mul(logSoftmax(logits, dim), probs), dim), -1), options.reduction);
  }
  checkLabels("crossEntropy", logits, target);
  if (!smoothing) {
    const fused = fusedCrossEntropy(logits, target, options.reduction ?? "mean");
    if (fused) return fused;
  }
  if (smoothing) {
    const classes = logits.shape[logits.dim() - 1];
    const oneHotT = oneHot(target, classes).to(logits.dtype);
    const probs = add(mul(oneHotT, 1 - smoothing), smoothing / classes);
    return crossEntropy(logits, probs, { reduction: options.reduction });
  }
  const batched = logits.dim() === 2;
  const n = batched ? logits.shape[0] : 1;
  const c = logits.shape[logits.dim() - 1];
  const be = backendOf(logits);
  const logp = alloc(logits.shape, logits.dtype, logits.device);
  be.softmax(logits._data, n, c, 1, logp._data, true);
  const idx = reshape(target.dtype === "int32" ? target : target.int(), [n, 1]);
  const picked = alloc([n, 1], logits.dtype, logits.device);
  be.gather(logp._data, n, c, 1, idx._data, 1, picked._data);
  const perSample = reshape(unaryRaw("neg", picked, picked.dtype), batched ? [n] : []);
  const loss = record(perSample, "CrossEntropyBackward", [logits], (g) => {
    const grad = alloc(logits.shape, logits.dtype, logits.device);
    be.unary(UNARY.exp, logp._data, grad._data);
    const minusOne = alloc([n, 1], logits.dtype, logits.device);
    be.fill(minusOne._data, -1);
    be.scatterAdd(minusOne._data, n, c, 1, idx._data, 1, grad._data);
    return [binaryRaw("mul", grad, reshape(g, batched ? [n, 1] : [1]), grad.dtype, "crossEntropy")];
  }, []);
  return reduce("crossEntropy", loss, options.reduction);
}

/**
 * Mean or summed cross-entropy of logits [N, C] on the backend's fused kernel (the CPU backend: float32 on the
 * wasm kernel): one pass per row computes the loss and (softmax − onehot)·scale, which backward multiplies by
 * the incoming gradient. Null where the backend has none for these tensors.
 */
function fusedCrossEntropy(logits: Tensor, target: Tensor, reduction: Reduction): Tensor | null {
  const be = backendOf(logits);
  if (!be.softmaxCrossEntropy || (reduction !== "mean" && reduction !== "sum") || logits.dim() !== 2) return null;
  const [n, c] = logits.shape;
  if (n === 0 || c === 0) return null;
  const scale = reduction === "mean" ? 1 / n : 1;
  const grad = logits.requiresGrad && isGradEnabled() ? alloc(logits.shape, logits.dtype, logits.device) : null;
  const out = alloc([], logits.dtype, logits.device);
  if (!be.softmaxCrossEntropy(logits._data, target._data, n, c, scale, out._data, grad ? grad._data : null)) return null;
  if (!grad) return out;
  return record(out, "CrossEntropyBackward", [logits], (g) => [binaryRaw("mul", grad, g, logits.dtype, "crossEntropy")], []);
}

/** nllLoss(logProbs [N, C], target [N]): minus the log-probability of each label. */
export function nllLoss(logProbs: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkFloat("nllLoss", "input", logProbs);
  checkLabels("nllLoss", logProbs, target);
  const batched = logProbs.dim() === 2;
  const x = batched ? logProbs : unsqueeze(logProbs, 0);
  const t = reshape(target.dtype === "int32" ? target : target.int(), [x.shape[0], 1]);
  const picked = reshape(gather(x, 1, t), batched ? [x.shape[0]] : []);
  return reduce("nllLoss", mul(picked, -1), options.reduction);
}

export function mseLoss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkFloat("mseLoss", "input", input);
  checkFloat("mseLoss", "target", target);
  checkSameShape("mseLoss", input, target);
  const d = sub(input, target);
  return reduce("mseLoss", mul(d, d), options.reduction);
}

export function l1Loss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkFloat("l1Loss", "input", input);
  checkSameShape("l1Loss", input, target);
  return reduce("l1Loss", sub(input, target).abs(), options.reduction);
}

/** Binary cross-entropy on probabilities in [0, 1]; each log is clamped at -100 as PyTorch does. */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options: LossOptions & { weight?: Tensor } = {}): Tensor {
  checkFloat("binaryCrossEntropy", "input", input);
  checkFloat("binaryCrossEntropy", "target", target);
  checkSameShape("binaryCrossEntropy", input, target);
  const p = backendOf(input).readSync(input._data);
  for (let i = 0; i < p.length; i++) {
    if (!(p[i] >= 0 && p[i] <= 1)) {
      throw new Error(`binaryCrossEntropy: input value ${p[i]} (at position ${i}) is not a probability in [0, 1]; apply sigmoid first or use binaryCrossEntropyWithLogits`);
    }
  }
  const logP = clamp(log(input), -100);
  const log1mP = clamp(log(sub(1, input)), -100);
  let loss = mul(add(mul(target, logP), mul(sub(1, target), log1mP)), -1);
  if (options.weight) loss = mul(loss, options.weight);
  return reduce("binaryCrossEntropy", loss, options.reduction);
}

/**
 * Binary cross-entropy on logits, stable for any x: pw·t·softplus(-x) + (1-t)·softplus(x), with the
 * gradient (sigmoid(x)(1 - t + pw·t) - pw·t) taken directly.
 */
export function binaryCrossEntropyWithLogits(
  input: Tensor, target: Tensor, options: LossOptions & { posWeight?: Tensor; weight?: Tensor } = {},
): Tensor {
  checkFloat("binaryCrossEntropyWithLogits", "input", input);
  checkFloat("binaryCrossEntropyWithLogits", "target", target);
  checkSameShape("binaryCrossEntropyWithLogits", input, target);
  const pw = options.posWeight ?? null;
  const dtype = input.dtype;
  const spPos = unaryRaw("softplus", input, dtype, 1, Infinity);
  const spNeg = unaryRaw("softplus", unaryRaw("neg", input, dtype), dtype, 1, Infinity);
  const pwT = pw ? binaryRaw("mul", target, pw, dtype, "binaryCrossEntropyWithLogits") : target;
  const oneMinusT = unaryRaw("addScalar", unaryRaw("neg", target, dtype), dtype, 1);
  const out = binaryRaw("add", binaryRaw("mul", pwT, spNeg, dtype), binaryRaw("mul", oneMinusT, spPos, dtype), dtype, "binaryCrossEntropyWithLogits");
  let loss = record(out, "BinaryCrossEntropyWithLogitsBackward", [input, target], (g, needs) => {
    const s = unaryRaw("sigmoid", input, dtype);
    // d/dx = sigmoid(x)(1 - t + pw t) - pw t
    const gx = needs[0] ? mul(g, sub(mul(s, add(oneMinusT, pwT)), pwT)) : null;
    // d/dt [pw t sp(-x) + (1 - t) sp(x)] = pw sp(-x) - sp(x)
    const gt = needs[1] ? mul(g, sub(pw ? mul(pw, spNeg) : spNeg, spPos)) : null;
    return [gx, gt];
  });
  if (options.weight) loss = mul(loss, options.weight);
  return reduce("binaryCrossEntropyWithLogits", loss, options.reduction);
}

/** oneHot(labels, numClasses): int32 [..., numClasses]. */
export function oneHot(labels: Tensor, numClasses = -1): Tensor {
  if (!(labels instanceof Tensor) || (labels.dtype !== "int32" && labels.dtype !== "uint8")) {
    throw new Error(`oneHot: labels must be an int32 tensor`);
  }
  const data = backendOf(labels).readSync(labels._data);
  let classes = numClasses;
  if (classes < 0) {
    classes = 0;
    for (let i = 0; i < data.length; i++) classes = Math.max(classes, data[i] + 1);
  }
  // built on the host from the one read above, uploaded once
  const host = new Int32Array(data.length * classes);
  for (let i = 0; i < data.length; i++) {
    if (data[i] < 0 || data[i] >= classes) throw new Error(`oneHot: label ${data[i]} is out of range for ${classes} classes`);
    host[i * classes + data[i]] = 1;
  }
  return new Tensor(backendOf(labels).upload(host), [...labels.shape, classes], "int32", labels.device);
}



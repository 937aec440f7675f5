/**
 * torch.nn.functional: activations, losses, dropout and linear, each as PyTorch defines it.
 * (Owned by the core tensor code: these are thin wrappers over src/ops.)
 */
import { isFloating } from "../tensor/dtype";
import { defaultGenerator } from "../tensor/random";
import { formatShape } from "../tensor/shape";
import { Tensor } from "../tensor/tensor";
import { getBackend } from "../backends/registry";
import { alloc } from "../ops/core";
import { kernel } from "../ops/defs/index";
import { add, mul } from "../ops/elementwise";
import { matmulND } from "../ops/matmul";
import { fusedLinear } from "../ops/linear";
import { reshape } from "../ops/shape";
import * as un from "../ops/unary";
import * as sm from "../ops/softmax";
import * as loss from "../ops/loss";

export type { Reduction, LossOptions } from "../ops/loss";

export const relu = (x: Tensor): Tensor => un.relu(x);
export const sigmoid = (x: Tensor): Tensor => un.sigmoid(x);
export const tanh = (x: Tensor): Tensor => un.tanh(x);
export const silu = (x: Tensor): Tensor => un.silu(x);
export const mish = (x: Tensor): Tensor => un.mish(x);
export const softsign = (x: Tensor): Tensor => un.softsign(x);
export const logsigmoid = (x: Tensor): Tensor => un.logsigmoid(x);

/** leakyRelu(x, negativeSlope = 0.01): x for x > 0, else slope·x. */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  return un.leakyRelu(x, negativeSlope);
}

/** elu(x, alpha = 1): x for x > 0, else alpha·(exp(x) - 1). */
export function elu(x: Tensor, alpha = 1): Tensor {
  return un.elu(x, alpha);
}

/** gelu(x): x·Φ(x) exactly (erf), or with { approximate: "tanh" } the tanh approximation. */
export function gelu(x: Tensor, options: { approximate?: "none" | "tanh" } = {}): Tensor {
  const approximate = options.approximate ?? "none";
  if (approximate === "none") return un.gelu(x);
  if (approximate === "tanh") return un.geluTanh(x);
  throw new Error(`gelu: approximate must be "none" or "tanh", got ${JSON.stringify(approximate)}`);
}

/** softplus(x, { beta = 1, threshold = 20 }): log(1 + exp(beta·x)) / beta, linear where beta·x > threshold. */
export function softplus(x: Tensor, options: { beta?: number; threshold?: number } = {}): Tensor {
  return un.softplus(x, options.beta ?? 1, options.threshold ?? 20);
}

/** hardtanh(x, minVal = -1, maxVal = 1): x clamped to [minVal, maxVal]. */
export function hardtanh(x: Tensor, minVal = -1, maxVal = 1): Tensor {
  return un.hardtanh(x, minVal, maxVal);
}

/** relu6(x) = hardtanh(x, 0, 6). */
export function relu6(x: Tensor): Tensor {
  return un.hardtanh(x, 0, 6);
}

/** prelu(x, weight): x for x > 0, else weight·x (weight has 1 element or one per channel, dim 1). */
export function prelu(x: Tensor, weight: Tensor): Tensor {
  return un.prelu(x, weight);
}

export function softmax(x: Tensor, dim: number | { dim: number }): Tensor {
  return x.softmax(dim);
}

export function logSoftmax(x: Tensor, dim: number | { dim: number }): Tensor {
  return x.logSoftmax(dim);
}

export const crossEntropy = loss.crossEntropy;
export const nllLoss = loss.nllLoss;
export const mseLoss = loss.mseLoss;
export const l1Loss = loss.l1Loss;
export const binaryCrossEntropy = loss.binaryCrossEntropy;
export const binaryCrossEntropyWithLogits = loss.binaryCrossEntropyWithLogits;
export const oneHot = loss.oneHot;

/**
 * dropout(x, p = 0.5, training = true): zeroes each element with probability p and scales the rest by
 * 1/(1-p); the identity when not training. The mask comes from the seeded generator.
 */
/** u < keep ? scale : 0 for a uniform draw u (p0 = keep, p1 = scale) */
const DROPOUT_MASK = kernel("dropoutMask", ["u"], "(u < p0 ? p1 : 0)");

export function dropout(x: Tensor, p = 0.5, training = true): Tensor {
  if (!(typeof p === "number" && p >= 0 && p <= 1)) throw new Error(`dropout: probability p must be between 0 and 1, got ${p}`);
  if (!training || p === 0) return x;
  if (!isFloating(x.dtype)) throw new Error(`dropout: needs a floating-point input, got ${x.dtype}`);
  const mask = alloc(x.shape, x.dtype, x.device);
  if (p < 1) {
    // on the backend: uniform draws (float64 on the CPU: the generator's exact values; float32 on the GPU, which
    // has no float64, so a draw within float32 rounding of keep may land on the other side), then keep-or-zero
    const be = getBackend(x.device);
    const draws = be.alloc(be.dtypes && !be.dtypes.includes("float64") ? "float32" : "float64", x.numel());
    be.uniform(draws, 0, 1, defaultGenerator);
    const keep = 1 - p;
    be.unary(DROPOUT_MASK, draws, mask._data, keep, 1 / keep);
    be.free(draws);
  }
  return mul(x, mask);
}

/** linear(x, weight [out, in], bias? [out]) = x·weightᵀ + bias, without copying the transpose. */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  if (!(x instanceof Tensor) || !(weight instanceof Tensor)) throw new Error(`linear: input and weight must be Tensors`);
  if (weight.dim() !== 2) throw new Error(`linear: weight must be 2-D [outFeatures, inFeatures], got ${formatShape(weight.shape)}`);
  const inFeatures = weight.shape[1];
  if (x.dim() === 0 || x.shape[x.dim() - 1] !== inFeatures) {
    throw new Error(
      `linear: input of shape ${formatShape(x.shape)} does not match weight ${formatShape(weight.shape)}: ` +
        `the last input dim must be inFeatures = ${inFeatures}`,
    );
  }
  if (bias && (bias.dim() !== 1 || bias.shape[0] !== weight.shape[0])) {
    throw new Error(`linear: bias of shape ${formatShape(bias.shape)} does not match outFeatures = ${weight.shape[0]}`);
  }
  const fused = fusedLinear(x, weight, bias ?? null);
  if (fused) return fused;
  const vec = x.dim() === 1;
  const x2 = vec ? reshape(x, [1, inFeatures]) : x;
  let out = matmulND(x2, weight, true, "linear");
  if (bias) out = add(out, bias);
  return vec ? reshape(out, [weight.shape[0]]) : out;
}

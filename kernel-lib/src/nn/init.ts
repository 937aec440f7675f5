import { noGrad } from "../tensor/autograd";
import { formatShape } from "../tensor/shape";
import type { Tensor } from "../tensor/tensor";

/** torch.nn.init: in-place initialisers (run without recording a graph); each returns the tensor. */

export type Nonlinearity =
  | "linear" | "conv1d" | "conv2d" | "conv3d" | "conv_transpose1d" | "conv_transpose2d" | "conv_transpose3d"
  | "sigmoid" | "tanh" | "relu" | "leaky_relu" | "selu";

export type FanMode = "fan_in" | "fan_out";

/** The recommended gain for a nonlinearity (PyTorch's calculate_gain); `param` is leaky_relu's negative slope. */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case "linear": case "conv1d": case "conv2d": case "conv3d":
    case "conv_transpose1d": case "conv_transpose2d": case "conv_transpose3d": case "sigmoid":
      return 1;
    case "tanh":
      return 5 / 3;
    case "relu":
      return Math.SQRT2;
    case "leaky_relu": {
      const slope = param ?? 0.01;
      if (typeof slope !== "number" || !Number.isFinite(slope)) {
        throw new Error(`calculateGain: negative_slope ${slope} is not a valid number`);
      }
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case "selu":
      return 3 / 4;
    default:
      throw new Error(`calculateGain: unsupported nonlinearity ${JSON.stringify(nonlinearity)}`);
  }
}

/** fan_in = size(1) * receptive field, fan_out = size(0) * receptive field (PyTorch's rule). */
export function calculateFanInAndFanOut(tensor: Tensor): { fanIn: number; fanOut: number } {
  if (tensor.dim() < 2) {
    throw new Error(
      `init: fan in and fan out cannot be computed for a tensor with fewer than 2 dimensions (shape ${formatShape(tensor.shape)})`,
    );
  }
  let receptive = 1;
  for (let d = 2; d < tensor.dim(); d++) receptive *= tensor.shape[d];
  return { fanIn: tensor.shape[1] * receptive, fanOut: tensor.shape[0] * receptive };
}

/** U(a, b): `uniform_(w, -0.1, 0.1)` or, as PyTorch's keywords, `uniform_(w, { a: -0.1, b: 0.1 })`. */
export function uniform_(tensor: Tensor, a: number | { a?: number; b?: number } = 0, b = 1): Tensor {
  const [lo, hi] = typeof a === "object" ? [a.a ?? 0, a.b ?? 1] : [a, b];
  if (!(hi >= lo)) throw new Error(`uniform_: the upper bound b=${hi} must be >= the lower bound a=${lo}`);
  return noGrad(() => tensor.uniform_(lo, hi));
}

/** N(mean, std²): `normal_(w, 0, 0.01)` or, as PyTorch's keywords, `normal_(w, { std: 0.01 })`. */
export function normal_(tensor: Tensor, mean: number | { mean?: number; std?: number } = 0, std = 1): Tensor {
  const [mu, sigma] = typeof mean === "object" ? [mean.mean ?? 0, mean.std ?? 1] : [mean, std];
  if (!(sigma >= 0)) throw new Error(`normal_: std must be >= 0, got ${sigma}`);
  return noGrad(() => tensor.normal_(mu, sigma));
}

export function constant_(tensor: Tensor, val: number): Tensor {
  return noGrad(() => tensor.fill_(val));
}

export function zeros_(tensor: Tensor): Tensor {
  return noGrad(() => tensor.zero_());
}

export function ones_(tensor: Tensor): Tensor {
  return noGrad(() => tensor.fill_(1));
}

/** U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)) (Glorot and Bengio). */
export function xavierUniform_(tensor: Tensor, gain: number | { gain?: number } = 1): Tensor {
  if (typeof gain === "object") gain = gain.gain ?? 1;
  const { fanIn, fanOut } = calculateFanInAndFanOut(tensor);
  const a = Math.sqrt(3) * gain * Math.sqrt(2 / (fanIn + fanOut));
  return uniform_(tensor, -a, a);
}

/** N(0, std²) with std = gain * sqrt(2 / (fan_in + fan_out)). */
export function xavierNormal_(tensor: Tensor, gain: number | { gain?: number } = 1): Tensor {
  if (typeof gain === "object") gain = gain.gain ?? 1;
  const { fanIn, fanOut } = calculateFanInAndFanOut(tensor);
  return normal_(tensor, 0, gain * Math.sqrt(2 / (fanIn + fanOut)));
}

export interface KaimingOptions {
  /** leaky_relu's negative slope (default 0). */
  a?: number;
  /** "fan_in" (default) keeps the forward variance, "fan_out" the backward one. */
  mode?: FanMode;
  /** default "leaky_relu", as in PyTorch. */
  nonlinearity?: Nonlinearity;
}

function kaimingStd(op: string, tensor: Tensor, options: KaimingOptions): number {
  const { a = 0, mode = "fan_in", nonlinearity = "leaky_relu" } = options;
  if (mode !== "fan_in" && mode !== "fan_out") throw new Error(`${op}: mode must be "fan_in" or "fan_out", got ${JSON.stringify(mode)}`);
  const { fanIn, fanOut } = calculateFanInAndFanOut(tensor);
  const fan = mode === "fan_in" ? fanIn : fanOut;
  if (fan === 0) throw new Error(`${op}: cannot initialise a tensor of shape ${formatShape(tensor.shape)}: its ${mode} is 0`);
  return calculateGain(nonlinearity, a) / Math.sqrt(fan);
}

/** U(-bound, bound) with bound = gain * sqrt(3 / fan) (He et al.). */
export function kaimingUniform_(tensor: Tensor, options: KaimingOptions = {}): Tensor {
  if (tensor.numel() === 0) return tensor;
  const bound = Math.sqrt(3) * kaimingStd("kaimingUniform_", tensor, options);
  return uniform_(tensor, -bound, bound);
}

/** N(0, std²) with std = gain / sqrt(fan) (He et al.). */
export function kaimingNormal_(tensor: Tensor, options: KaimingOptions = {}): Tensor {
  if (tensor.numel() === 0) return tensor;
  return normal_(tensor, 0, kaimingStd("kaimingNormal_", tensor, options));
}

import { Tensor } from "../tensor/tensor";
import { defaultGenerator } from "../tensor/random";

export interface SyntheticOptions {
  /** standard deviation of the label noise (default 0.01, as in d2l) */
  noise?: number;
}

/**
 * d2l.synthetic_data: X ~ N(0, 1) of shape [n, len(w)], y = Xw + b + N(0, noise^2) of shape [n, 1], both
 * float32, drawn from the global generator (torch.manualSeed) in the same order as d2l: all of X, then the noise.
 * `w` is a number array or a tensor of shape [d] or [d, 1]; `b` a number or a one-element tensor.
 */
export function syntheticData(w: Tensor | ArrayLike<number>, b: Tensor | number, numExamples: number, options: SyntheticOptions = {}): [Tensor, Tensor] {
  const weights = weightVector(w);
  const bias = biasValue(b);
  if (!Number.isInteger(numExamples) || numExamples < 0) {
    throw new Error(`syntheticData: numExamples must be a non-negative integer, got ${numExamples}`);
  }
  const noise = options.noise ?? 0.01;
  if (!Number.isFinite(noise) || noise < 0) throw new Error(`syntheticData: noise must be a finite number >= 0, got ${noise}`);
  const d = weights.length;
  const X = new Float32Array(numExamples * d);
  for (let i = 0; i < X.length; i++) X[i] = defaultGenerator.normal();
  const y = new Float32Array(numExamples);
  for (let i = 0; i < numExamples; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += X[i * d + j] * weights[j];
    y[i] = s + bias;
  }
  for (let i = 0; i < numExamples; i++) y[i] += noise * defaultGenerator.normal();
  return [Tensor.fromTypedArray(X, [numExamples, d], "float32"), Tensor.fromTypedArray(y, [numExamples, 1], "float32")];
}

function weightVector(w: Tensor | ArrayLike<number>): Float64Array {
  if (w instanceof Tensor) {
    const ok = w.dim() === 1 || (w.dim() === 2 && w.shape[1] === 1);
    if (!ok || w.numel() === 0) throw new Error(`syntheticData: w must have shape [d] or [d, 1], got [${w.shape.join(", ")}]`);
    return Float64Array.from(w.dataSync());
  }
  if (w.length === 0) throw new Error("syntheticData: w must have at least one weight, got an empty array");
  const out = Float64Array.from(w);
  out.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new Error(`syntheticData: w[${i}] is ${v}; weights must be finite numbers`);
  });
  return out;
}

function biasValue(b: Tensor | number): number {
  if (b instanceof Tensor) {
    if (b.numel() !== 1) throw new Error(`syntheticData: b must be a number or a one-element tensor, got shape [${b.shape.join(", ")}]`);
    return b.dataSync()[0];
  }
  if (!Number.isFinite(b)) throw new Error(`syntheticData: b must be a finite number, got ${b}`);
  return b;
}

import { Tensor } from "../tensor/tensor";
import { Generator, defaultGenerator } from "../tensor/random";

export interface XorOptions {
  /**
   * "float32" (default): labels float32 [n,1] with 0/1, for BCELoss / BCEWithLogitsLoss;
   * "int32": class indices int32 [n], for CrossEntropyLoss.
   */
  labelDtype?: "float32" | "int32";
}

export interface NoisyXorOptions extends XorOptions {
  /** standard deviation of the Gaussian noise around each corner (default 0.1) */
  noise?: number;
  /** seeds a private generator; without it the global one (torch.manualSeed) is used */
  seed?: number;
}

const CORNERS: ReadonlyArray<readonly [number, number, number]> = [
  [0, 0, 0],
  [0, 1, 1],
  [1, 0, 1],
  [1, 1, 0],
];

function labelsTensor(labels: number[], dtype: "float32" | "int32" | undefined, op: string): Tensor {
  if (dtype === undefined || dtype === "float32") return Tensor.fromTypedArray(Float32Array.from(labels), [labels.length, 1], "float32");
  if (dtype === "int32") return Tensor.fromTypedArray(Int32Array.from(labels), [labels.length], "int32");
  throw new Error(`${op}: labelDtype must be "float32" or "int32", got ${JSON.stringify(dtype)}`);
}

/** The four XOR points [X float32 [4,2], y]: (0,0)->0, (0,1)->1, (1,0)->1, (1,1)->0. */
export function xorData(options: XorOptions = {}): [Tensor, Tensor] {
  const X = Float32Array.from(CORNERS.flatMap(([a, b]) => [a, b]));
  return [Tensor.fromTypedArray(X, [4, 2], "float32"), labelsTensor(CORNERS.map((c) => c[2]), options.labelDtype, "xorData")];
}

/**
 * n points in four Gaussian clusters around the XOR corners, corner i % 4 for point i (so the classes are
 * balanced), [X float32 [n,2], y]. Pass the pair to TensorDataset / DataLoader.
 */
export function noisyXor(n: number, options: NoisyXorOptions = {}): [Tensor, Tensor] {
  if (!Number.isInteger(n) || n < 1) throw new Error(`noisyXor: n must be a positive integer, got ${n}`);
  const noise = options.noise ?? 0.1;
  if (!Number.isFinite(noise) || noise < 0) throw new Error(`noisyXor: noise must be a finite number >= 0, got ${noise}`);
  const gen = options.seed === undefined ? defaultGenerator : new Generator(options.seed);
  const X = new Float32Array(2 * n);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const [a, b, label] = CORNERS[i % 4];
    X[2 * i] = a + noise * gen.normal();
    X[2 * i + 1] = b + noise * gen.normal();
    labels.push(label);
  }
  return [Tensor.fromTypedArray(X, [n, 2], "float32"), labelsTensor(labels, options.labelDtype, "noisyXor")];
}

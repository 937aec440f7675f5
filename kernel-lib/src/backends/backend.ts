import type { DType, TypedArray } from "../tensor/dtype";
import type { Generator } from "../tensor/random";

/**
 * The kernels ops are written against. Ops never index element storage themselves: they compute shapes,
 * strides and plans, then call one of these. A backend owns its storage type: on the CPU it is a TypedArray;
 * a WebGPU backend will hold GPU buffers (read back asynchronously with `read`, released with `free`).
 * Every kernel writes into an `out` storage the caller allocated with `alloc`, so no kernel allocates.
 */
export type Storage = TypedArray;

/** Elementwise functions of one input; `p0`/`p1` are the op's scalar parameters where it has any. */
export type UnaryOp =
  | "neg" | "exp" | "log" | "sqrt" | "abs" | "sign" | "sin" | "cos" | "floor" | "ceil" | "round" | "not"
  | "relu" | "sigmoid" | "tanh" | "leakyRelu" | "elu" | "gelu" | "geluTanh" | "silu" | "mish"
  | "softplus" | "softsign" | "hardtanh" | "logsigmoid"
  | "addScalar" | "clamp";

/**
 * Elementwise functions of two broadcast inputs. The `*Grad` ops are the fused backward kernels of
 * activations: `a` is the incoming gradient, `b` the activation's input (or output where noted in cpu).
 */
export type BinaryOp =
  | "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum"
  | "eq" | "ne" | "gt" | "lt" | "ge" | "le" | "and" | "or"
  | "reluGrad" | "sigmoidGrad" | "tanhGrad" | "leakyReluGrad" | "eluGrad" | "geluGrad" | "geluTanhGrad"
  | "siluGrad" | "mishGrad" | "softplusGrad" | "softsignGrad" | "hardtanhGrad" | "logsigmoidGrad"
  | "powGradBase" | "sqrtGrad" | "clampGrad" | "absGrad";

export type ReduceOp = "sum" | "prod" | "max" | "min" | "argmax" | "argmin";

/** Output shape plus each input's strides over it (0 on broadcast dims). */
export interface BroadcastPlan {
  shape: number[];
  strides: number[][];
}

/** One batched product: for each batch index, C[b] (+)= op(A[b]) · op(B[b]), offsets in elements. */
export interface MatmulPlan {
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  aOffsets: Int32Array | number[];
  bOffsets: Int32Array | number[];
  cOffsets: Int32Array | number[];
  /** add into C instead of overwriting (used when backward sums over a broadcast batch) */
  accumulate: boolean;
}

export interface Backend {
  readonly device: "cpu" | "webgpu";

  alloc(dtype: DType, length: number): Storage;
  /** Takes host data onto the device (the CPU backend keeps the array itself). */
  upload(data: TypedArray): Storage;
  /** Host copy of the storage; a GPU backend blocks here, so prefer `read`. */
  readSync(s: Storage): TypedArray;
  read(s: Storage): Promise<TypedArray>;
  /** Releases device memory (a no-op on the CPU, where the garbage collector does it). */
  free(s: Storage): void;

  fill(out: Storage, value: number): void;
  /** Converts dtype while copying `n` elements from x[xOffset] to out[outOffset]. */
  copy(x: Storage, xOffset: number, out: Storage, outOffset: number, n: number): void;
  /** Gathers a strided view of x into contiguous out (transpose, expand, narrow, permute). */
  strided(x: Storage, offset: number, shape: readonly number[], strides: readonly number[], out: Storage): void;

  unary(op: UnaryOp, x: Storage, out: Storage, p0?: number, p1?: number): void;
  binary(op: BinaryOp, a: Storage, b: Storage, out: Storage, plan: BroadcastPlan, p0?: number, p1?: number): void;
  where(cond: Storage, a: Storage, b: Storage, out: Storage, plan: BroadcastPlan): void;

  /** Reduces the middle axis of x viewed as [outer, size, inner] into out [outer, inner]. */
  reduce(op: ReduceOp, x: Storage, outer: number, size: number, inner: number, out: Storage): void;
  /** Softmax or log-softmax over the middle axis of [outer, size, inner]. */
  softmax(x: Storage, outer: number, size: number, inner: number, out: Storage, log: boolean): void;

  matmul(a: Storage, b: Storage, out: Storage, plan: MatmulPlan): void;

  /** out[o, j, i] = x[o, index[j], i] for x viewed as [outer, size, inner]. */
  indexSelect(x: Storage, outer: number, size: number, inner: number, index: Storage, out: Storage): void;
  /** out[o, index[j], i] += src[o, j, i]: the adjoint of indexSelect. */
  indexAdd(src: Storage, outer: number, size: number, inner: number, index: Storage, out: Storage): void;
  /** out[o, j, i] = x[o, index[o, j, i], i]; index is [outer, idxSize, inner]. */
  gather(x: Storage, outer: number, size: number, inner: number, index: Storage, idxSize: number, out: Storage): void;
  /** out[o, index[o, j, i], i] += src[o, j, i]: the adjoint of gather. */
  scatterAdd(src: Storage, outer: number, size: number, inner: number, index: Storage, idxSize: number, out: Storage): void;

  /** Random fills draw from the seeded generator on the host, so every backend gives the same numbers. */
  uniform(out: Storage, low: number, high: number, gen: Generator): void;
  normal(out: Storage, mean: number, std: number, gen: Generator): void;
}

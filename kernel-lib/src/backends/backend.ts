import type { DType, TypedArray } from "../tensor/dtype";
import type { Generator } from "../tensor/random";

/**
 * The kernels ops are written against. Ops never index element storage themselves: they compute shapes,
 * strides and plans, then call one of these. A backend owns its storage type: on the CPU it is a TypedArray;
 * a WebGPU backend will hold GPU buffers (read back asynchronously with `read`, released with `free`).
 * Every kernel writes into an `out` storage the caller allocated with `alloc`, so no kernel allocates.
 */
export type Storage = TypedArray;

/**
 * An elementwise function, declared once in ops/defs and compiled by each backend (the CPU backend into a
 * monomorphic JavaScript loop; a GPU backend into a shader). `args` names the inputs in order (one for
 * `unary`, two for `binary`, e.g. `["g", "x"]` for a derivative of the incoming gradient and the input).
 *
 * The expression language (JavaScript syntax, so the CPU backend can inline it): numbers, the args, the
 * scalar parameters `p0` `p1`, locals from `lets` (evaluated in order), `+ - * /`, unary `-`, comparisons
 * `=== !== < > <= >=` (`v !== v` tests NaN), `&& || !`, `c ? a : b` (booleans are 0/1 in numeric context), and
 * calls to the library every backend provides: `exp log sqrt abs sin cos tanh floor ceil trunc round pow min
 * max log1p expm1 erf sigmoid softplus(x, beta, threshold) logsigmoid`, constants `SQRT_2_OVER_PI INV_SQRT_2
 * INV_SQRT_2PI`. `round` rounds half to even (PyTorch's rule).
 */
export interface ElementwiseKernel {
  /** unique name: kernels are compiled once per name */
  readonly name: string;
  readonly args: readonly string[];
  readonly lets?: readonly (readonly [string, string])[];
  readonly expr: string;
}

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

  /** New zero-filled storage of `length` elements. */
  alloc(dtype: DType, length: number): Storage;
  /** Takes host data onto the device (the CPU backend keeps the array itself). */
  upload(data: TypedArray): Storage;
  /** Host copy of the storage; a GPU backend blocks here, so prefer `read`. */
  readSync(s: Storage): TypedArray;
  read(s: Storage): Promise<TypedArray>;
  /** Writes host values into s from element `offset` on (converted to s's dtype). */
  write(s: Storage, offset: number, data: TypedArray | readonly number[]): void;
  /** Releases device memory (a no-op on the CPU, where the garbage collector does it). */
  free(s: Storage): void;

  fill(out: Storage, value: number): void;
  /** Converts dtype while copying `n` elements from x[xOffset] to out[outOffset]. */
  copy(x: Storage, xOffset: number, out: Storage, outOffset: number, n: number): void;
  /** Gathers a strided view of x into contiguous out (transpose, expand, narrow, permute). */
  strided(x: Storage, offset: number, shape: readonly number[], strides: readonly number[], out: Storage): void;

  /** out[i] = kernel(x[i]); out has x's length. */
  unary(kernel: ElementwiseKernel, x: Storage, out: Storage, p0?: number, p1?: number): void;
  /** out = kernel(a, b) broadcast by the plan. */
  binary(kernel: ElementwiseKernel, a: Storage, b: Storage, out: Storage, plan: BroadcastPlan, p0?: number, p1?: number): void;
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

  // ---- optional fused kernels: ops use them when present and compose primitives otherwise ----------------
  /**
   * out[batch, outF] = x[batch, inF] · w[outF, inF]ᵀ (+ bias[outF] on every row). Returns false where this backend
   * has no fused kernel for these storages (the caller then composes matmul and add).
   */
  linear?(x: Storage, w: Storage, bias: Storage | null, out: Storage, batch: number, inFeatures: number, outFeatures: number): boolean;
  /** out[j] = Σ_i x[i, j] over x [rows, cols] (linear's bias gradient); false where not fused. */
  sumRows?(x: Storage, out: Storage, rows: number, cols: number): boolean;
  /**
   * Cross-entropy of logits [rows, cols] against class indices `labels` [rows] (already range-checked):
   * loss[0] = scale · Σ_i −log softmax(logits_i)[label_i]; when `grad` is given it receives
   * scale · (softmax − onehot). Returns false where not fused (the caller composes logSoftmax and gather).
   */
  softmaxCrossEntropy?(logits: Storage, labels: Storage, rows: number, cols: number, scale: number, loss: Storage, grad: Storage | null): boolean;
  /** One SGD step over a parameter's storage; `buf` is the momentum buffer (same dtype and length) or null. */
  sgdStep?(param: Storage, grad: Storage, buf: Storage | null, args: SgdStepArgs): void;
  /** One Adam/AdamW step; m, v (and vmax with amsgrad) are state storages of the parameter's dtype and length. */
  adamStep?(param: Storage, grad: Storage, m: Storage, v: Storage, vmax: Storage | null, args: AdamStepArgs): void;
}

/** SGD hyper-parameters for one step (PyTorch's update order). */
export interface SgdStepArgs {
  lr: number;
  weightDecay: number;
  momentum: number;
  /** 1 - dampening */
  keep: number;
  nesterov: boolean;
  /** -1 to maximize */
  sign: number;
  /** the first momentum step copies d into the buffer */
  first: boolean;
}

/** Adam/AdamW hyper-parameters for one step, bias corrections precomputed. */
export interface AdamStepArgs {
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
}

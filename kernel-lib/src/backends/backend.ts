import type { DType, TypedArray } from "../tensor/dtype";
import type { Generator } from "../tensor/random";

/**
 * The kernels ops are written against. Ops never index element storage themselves: they compute shapes,
 * strides and plans, then call one of these. A backend owns its storage type: on the CPU it is a TypedArray;
 * a WebGPU backend will hold GPU buffers (read back asynchronously with `read`, released with `free`).
 * Every kernel writes into an `out` storage the caller allocated with `alloc`, so no kernel allocates.
 */
declare const storageBrand: unique symbol;
/**
 * An opaque handle to a backend's element storage: code outside the backend that owns it can only pass it
 * back to that backend (the brand makes indexing it, reading `.length` or passing it where a TypedArray is
 * expected a compile error). The CPU backend's handles are TypedArrays: it is written as `Backend<TypedArray>`
 * and made opaque once, by `asOpaqueBackend`.
 */
export interface Storage {
  readonly [storageBrand]: "Storage";
}

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

/**
 * `S` is the backend's own storage type; everything outside the backend sees only the opaque `Storage`
 * (`Backend` = `Backend<Storage>`). A backend is written as `Backend<ItsStorage>` and handed to the registry
 * through `asOpaqueBackend`, the one place its handles become opaque.
 */
export interface Backend<S = Storage> {
  readonly device: "cpu" | "webgpu";
  /**
   * True where storage must be released explicitly (GPU buffers): tensors then register their storage so that
   * `free` is called once the last tensor holding it is garbage collected, or at `Tensor.dispose()`
   * (tensor/lifetime.ts). Absent or false: the garbage collector reclaims storage itself (the CPU).
   */
  readonly managesMemory?: boolean;
  /** The dtypes this backend's storage holds (absent: all of them); alloc/upload of another is a clear error. */
  readonly dtypes?: readonly DType[];

  /** New zero-filled storage of `length` elements. */
  alloc(dtype: DType, length: number): S;
  /**
   * Zero-filled storage for what lives as long as a model: a module's own parameters and an optimizer's state
   * (optional; absent: alloc). The CPU backend puts large float32 ones in WebAssembly memory when the wasm kernels
   * run the products, so that they are read in place instead of copied in on every call.
   */
  allocLongLived?(dtype: DType, length: number): S;
  /**
   * Storage of `length` elements whose contents are unspecified, for an output the kernel then overwrites entirely (a
   * product without accumulation). Optional; absent: alloc.
   */
  allocUninitialized?(dtype: DType, length: number): S;
  /**
   * Hands back storage that nothing references any more (a dropped gradient that never left the library, see
   * dropGrad in tensor/autograd.ts), which the backend may give out again from alloc or allocUninitialized.
   * Optional; absent: the storage is left to the garbage collector.
   */
  recycle?(s: S): void;
  /** Takes host data onto the device (the CPU backend keeps the array itself). */
  upload(data: TypedArray): S;
  /** Host copy of the storage; a GPU backend blocks here, so prefer `read`. */
  readSync(s: S): TypedArray;
  read(s: S): Promise<TypedArray>;
  /** Writes host values into s from element `offset` on (converted to s's dtype). */
  write(s: S, offset: number, data: TypedArray | readonly number[]): void;
  /** Releases device memory (a no-op on the CPU, where the garbage collector does it); s is not used again. */
  free(s: S): void;

  fill(out: S, value: number): void;
  /** Converts dtype while copying `n` elements from x[xOffset] to out[outOffset]. */
  copy(x: S, xOffset: number, out: S, outOffset: number, n: number): void;
  /** Gathers a strided view of x into contiguous out (transpose, expand, narrow, permute). */
  strided(x: S, offset: number, shape: readonly number[], strides: readonly number[], out: S): void;

  /** out[i] = kernel(x[i]); out has x's length. */
  unary(kernel: ElementwiseKernel, x: S, out: S, p0?: number, p1?: number): void;
  /** out = kernel(a, b) broadcast by the plan. */
  binary(kernel: ElementwiseKernel, a: S, b: S, out: S, plan: BroadcastPlan, p0?: number, p1?: number): void;
  where(cond: S, a: S, b: S, out: S, plan: BroadcastPlan): void;

  /** Reduces the middle axis of x viewed as [outer, size, inner] into out [outer, inner]. */
  reduce(op: ReduceOp, x: S, outer: number, size: number, inner: number, out: S): void;
  /** Softmax or log-softmax over the middle axis of [outer, size, inner]. */
  softmax(x: S, outer: number, size: number, inner: number, out: S, log: boolean): void;

  matmul(a: S, b: S, out: S, plan: MatmulPlan): void;

  /** out[o, j, i] = x[o, index[j], i] for x viewed as [outer, size, inner]. */
  indexSelect(x: S, outer: number, size: number, inner: number, index: S, out: S): void;
  /** out[o, index[j], i] += src[o, j, i]: the adjoint of indexSelect. */
  indexAdd(src: S, outer: number, size: number, inner: number, index: S, out: S): void;
  /** out[o, j, i] = x[o, index[o, j, i], i]; index is [outer, idxSize, inner]. */
  gather(x: S, outer: number, size: number, inner: number, index: S, idxSize: number, out: S): void;
  /** out[o, index[o, j, i], i] += src[o, j, i]: the adjoint of gather. */
  scatterAdd(src: S, outer: number, size: number, inner: number, index: S, idxSize: number, out: S): void;

  /** Random fills draw from the seeded generator on the host, so every backend gives the same numbers. */
  uniform(out: S, low: number, high: number, gen: Generator): void;
  normal(out: S, mean: number, std: number, gen: Generator): void;

  // ---- optional fused kernels: ops use them when present and compose primitives otherwise ----------------
  /**
   * out[batch, outF] = x[batch, inF] · w[outF, inF]ᵀ (+ bias[outF] on every row). Returns false where this backend
   * has no fused kernel for these storages (the caller then composes matmul and add).
   */
  linear?(x: S, w: S, bias: S | null, out: S, batch: number, inFeatures: number, outFeatures: number): boolean;
  /** out[j] = Σ_i x[i, j] over x [rows, cols] (linear's bias gradient); false where not fused. */
  sumRows?(x: S, out: S, rows: number, cols: number): boolean;
  /**
   * Cross-entropy of logits [rows, cols] against class indices `labels` [rows] (already range-checked):
   * loss[0] = scale · Σ_i −log softmax(logits_i)[label_i]; when `grad` is given it receives
   * scale · (softmax − onehot). Returns false where not fused (the caller composes logSoftmax and gather).
   */
  softmaxCrossEntropy?(logits: S, labels: S, rows: number, cols: number, scale: number, loss: S, grad: S | null): boolean;
  /** One SGD step over a parameter's storage; `buf` is the momentum buffer (same dtype and length) or null. */
  sgdStep?(param: S, grad: S, buf: S | null, args: SgdStepArgs): void;
  /** One Adam/AdamW step; m, v (and vmax with amsgrad) are state storages of the parameter's dtype and length. */
  adamStep?(param: S, grad: S, m: S, v: S, vmax: S | null, args: AdamStepArgs): void;
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

/** Hides a backend's storage type behind `Storage` (its handles are only ever passed back to it). */
export function asOpaqueBackend<S>(backend: Backend<S>): Backend {
  return backend as unknown as Backend;
}

import { getBackend } from "../backends/registry";
import type { Storage } from "../backends/backend";
import { holdStorage, releaseStorage } from "./lifetime";
import { DType, TypedArray, dtypeOfArray, isFloating } from "./dtype";
import { Shape, formatShape, numelOf } from "./shape";
import { Node, isGradEnabled, runBackward } from "./autograd";
import { formatTensor } from "./format";
import type { DimOptions, NormOptions, VarOptions } from "./dim-options";

export type Device = "cpu" | "webgpu";

/** Nested number arrays as returned by tolist(). */
export type NestedArray = number | NestedArray[];

/** A tensor or a plain number (broadcast as a 0-d tensor of the other operand's dtype). */
export type Scalar = Tensor | number;

/** `max(dim)` / `min(dim)` result: destructure as `{ values, indices }` or as `[values, indices]`. */
export interface ValuesIndices {
  values: Tensor;
  indices: Tensor;
  [Symbol.iterator](): Iterator<Tensor>;
}

/** The methods of every Tensor; their bodies are in ops/methods.ts (see the class comment). */
export interface Tensor {
  /**
   * `t[i]`: row i along the first dimension, as PyTorch's (a copy, not a view); negative i counts from the end and
   * an out-of-range i is an error. `t[i] = value` (a tensor or number broadcast to the row) writes the row in place.
   * (ops/item.ts installs it.)
   */
  [index: number]: Tensor;
  /** `for (const row of t)`: the rows along the first dimension, as PyTorch's iteration. */
  [Symbol.iterator](): IterableIterator<Tensor>;
  /** Rounds half to even, as PyTorch's round (zero gradient). Also floor() and ceil(). */
  round(): Tensor;
  floor(): Tensor;
  ceil(): Tensor;
  /** size() is the shape; size(d) one dim (negative counts from the end). */
  size(): number[];
  size(dim: number): number;
  /** A tensor sharing this storage, cut off from the graph. */
  detach(): Tensor;
  clone(): Tensor;
  contiguous(): Tensor;
  /** to("cpu"), to("float64"), to(otherTensor) (its dtype and device). */
  /** Device names are strings as in PyTorch: "cpu" (also "cpu:0"); "cuda"/"cuda:0"/"mps" are clear errors. */
  to(target: DType | Device | Tensor | (string & {})): Tensor;
  type(dtype: DType): Tensor;
  float(): Tensor;
  double(): Tensor;
  int(): Tensor;
  /** PyTorch's long(): int32 here (the only integer index type). */
  long(): Tensor;
  bool(): Tensor;
  cpu(): Tensor;
  /** @internal a ones tensor like this one, without autograd */
  onesLikeRaw(): Tensor;
  add(other: Scalar, options?: { alpha?: number }): Tensor;
  sub(other: Scalar, options?: { alpha?: number }): Tensor;
  mul(other: Scalar): Tensor;
  div(other: Scalar): Tensor;
  pow(exponent: Scalar): Tensor;
  rsub(other: Scalar): Tensor;
  maximum(other: Scalar): Tensor;
  minimum(other: Scalar): Tensor;
  clamp(min?: number | null, max?: number | null): Tensor;
  eq(other: Scalar): Tensor;
  ne(other: Scalar): Tensor;
  gt(other: Scalar): Tensor;
  lt(other: Scalar): Tensor;
  ge(other: Scalar): Tensor;
  le(other: Scalar): Tensor;
  logicalNot(): Tensor;
  neg(): Tensor;
  exp(): Tensor;
  log(): Tensor;
  sqrt(): Tensor;
  abs(): Tensor;
  square(): Tensor;
  sin(): Tensor;
  cos(): Tensor;
  sign(): Tensor;
  relu(): Tensor;
  sigmoid(): Tensor;
  tanh(): Tensor;
  softmax(dim: number | { dim: number }): Tensor;
  logSoftmax(dim: number | { dim: number }): Tensor;
  matmul(other: Tensor): Tensor;
  mm(other: Tensor): Tensor;
  mv(vec: Tensor): Tensor;
  dot(other: Tensor): Tensor;
  /** sum(dim?, keepdim?) or sum({ dim, keepdim }) (PyTorch's keywords); mean and prod alike. */
  sum(dim?: number | number[] | null | DimOptions<number | number[] | null>, keepdim?: boolean): Tensor;
  mean(dim?: number | number[] | null | DimOptions<number | number[] | null>, keepdim?: boolean): Tensor;
  prod(dim?: number | null | DimOptions<number | null>, keepdim?: boolean): Tensor;
  /** max() is the largest element; max(dim) gives { values, indices } along dim; max(tensor) is maximum. */
  max(): Tensor;
  max(dim: number, keepdim?: boolean): ValuesIndices;
  max(options: { dim: number; keepdim?: boolean }): ValuesIndices;
  max(other: Tensor): Tensor;
  min(): Tensor;
  min(dim: number, keepdim?: boolean): ValuesIndices;
  min(options: { dim: number; keepdim?: boolean }): ValuesIndices;
  min(other: Tensor): Tensor;
  argmax(dim?: number | DimOptions, keepdim?: boolean): Tensor;
  argmin(dim?: number | DimOptions, keepdim?: boolean): Tensor;
  /** p-norm over all elements or over dim (default p=2, the Frobenius/Euclidean norm). */
  norm(p?: number, dim?: number | number[] | null | DimOptions<number | number[] | null>, keepdim?: boolean): Tensor;
  norm(options: NormOptions): Tensor;
  /**
   * Variance (Bessel-corrected unless unbiased is false or correction is 0): `x.var()`, `x.var(dim, unbiased?,
   * keepdim?)`, `x.var(dim, { correction, keepdim })`, `x.var({ dim, keepdim, unbiased })`.
   */
  var(dim?: number | number[] | null | boolean | VarOptions, unbiased?: boolean | Omit<VarOptions, "dim">, keepdim?: boolean): Tensor;
  std(dim?: number | number[] | null | boolean | VarOptions, unbiased?: boolean | Omit<VarOptions, "dim">, keepdim?: boolean): Tensor;
  reshape(...shape: (number | number[])[]): Tensor;
  view(...shape: (number | number[])[]): Tensor;
  flatten(startDim?: number, endDim?: number): Tensor;
  flatten(options: { startDim?: number; endDim?: number }): Tensor;
  /** The transpose of a 2-D tensor (a copy; see README: views vs copies). */
  readonly T: Tensor;
  t(): Tensor;
  transpose(dim0: number, dim1: number): Tensor;
  permute(...dims: (number | number[])[]): Tensor;
  unsqueeze(dim: number | { dim: number }): Tensor;
  squeeze(dim?: number | { dim?: number }): Tensor;
  expand(...shape: (number | number[])[]): Tensor;
  expandAs(other: Tensor): Tensor;
  viewAs(other: Tensor): Tensor;
  narrow(dim: number, start: number, length: number): Tensor;
  /** Row i along dim 0 (or along `dim`), dropping that dim. */
  select(dim: number, index: number): Tensor;
  indexSelect(dim: number, index: Tensor): Tensor;
  gather(dim: number, index: Tensor): Tensor;
  /**
   * PyTorch's scatter: a copy with out[...index[p]...] = src[p] (or the number) along dim; index is int32 with the
   * tensor's rank. Differentiable w.r.t. the tensor and src.
   */
  scatter(dim: number, index: Tensor, src: Tensor | number): Tensor;
  /** scatter in place (e.g. one-hot targets: torch.zeros([n, 10]).scatter_(1, y.unsqueeze(1), 1)). */
  scatter_(dim: number, index: Tensor, src: Tensor | number): this;
  /** Advanced indexing on leading dims: x.index([rows, cols]) is PyTorch's x[rows, cols]. */
  index(indices: (Tensor | number[])[]): Tensor;
  /** Elements where mask is true, flattened (PyTorch's x[mask]). */
  maskedSelect(mask: Tensor): Tensor;
  maskedFill(mask: Tensor, value: number): Tensor;
  add_(other: Scalar, options?: { alpha?: number }): this;
  sub_(other: Scalar, options?: { alpha?: number }): this;
  mul_(other: Scalar): this;
  div_(other: Scalar): this;
  pow_(exponent: Scalar): this;
  clamp_(min?: number | null, max?: number | null): this;
  relu_(): this;
  zero_(): this;
  fill_(value: number): this;
  /** Copies src (broadcast, converted to this dtype) into this tensor's storage. */
  copy_(src: Tensor): this;
  normal_(mean?: number, std?: number): this;
  uniform_(low?: number, high?: number): this;
  /** @internal grad accumulation: this += g without autograd or leaf checks */
  _addInPlaceRaw(g: Tensor): void;
}

/**
 * A dense, contiguous, row-major tensor. On the CPU its elements live in one TypedArray that may be
 * shared with other tensors (reshape/view/flatten/unsqueeze/squeeze share it, as in PyTorch).
 *
 * CONTRACT for code outside src/tensor and src/ops (datasets, display, nn, ...):
 *   Tensor.fromTypedArray(data, shape, dtype?)  wraps `data` without copying (takes ownership)
 *   t.shape, t.dtype, t.device, t.numel(), t.dim()
 *   t.dataSync()   the contiguous elements (do not mutate unless you own the tensor)
 *   t.tolist(), t.item()
 *
 * The class holds storage, shape and autograd state; its methods are declared in the interface below and
 * installed by ops/methods.ts (each is one call into src/ops/<family>.ts), so this file imports no op and
 * ops/ can import the class without an import cycle. Import Tensor from "./tensor", which installs them.
 */
export class Tensor {
  readonly shape: number[];
  readonly dtype: DType;
  readonly device: Device;
  /** @internal contiguous element storage: a handle owned by the device's backend (reach it through the backend) */
  _data: Storage;
  /** @internal the number of elements (the product of shape) */
  readonly _numel: number;
  /** @internal version counter shared by all views of one storage; in-place ops bump it */
  _version: { v: number };
  /** @internal the tensor whose storage this view shares, if any */
  _base: Tensor | null = null;
  /** @internal */
  _requiresGrad = false;
  /** @internal */
  _retainsGrad = false;
  /** @internal the gradient `grad` returns; library code reads it here, so that reading it exposes nothing */
  _gradValue: Tensor | null = null;
  /**
   * @internal true once the gradient tensor may be held outside the library (`grad` was read, or assigned from
   * outside); while false, a dropped gradient's storage can be reused (dropGrad in ./autograd.ts).
   */
  _gradExposed = false;
  /** Accumulated gradient (leaves, or tensors that called retainGrad()); null until a backward reaches it. */
  get grad(): Tensor | null {
    if (this._gradValue !== null) this._gradExposed = true;
    return this._gradValue;
  }
  set grad(g: Tensor | null) {
    this._gradValue = g;
    this._gradExposed = g !== null;
  }
  /** The node that created this tensor, or null for a leaf. */
  gradFn: Node | null = null;

  /**
   * `data` is a storage handle of `device`'s backend holding numel(shape) elements (callers allocate it for
   * the shape; host data is checked where it enters, in fromTypedArray and the creation functions).
   */
  constructor(data: Storage, shape: Shape, dtype: DType, device: Device = "cpu") {
    const n = numelOf(shape);
    this._data = data;
    this._numel = n;
    this.shape = [...shape];
    this.dtype = dtype;
    this.device = device;
    this._version = { v: 0 };
    holdStorage(this, data, getBackend(device));
  }

  /** A CPU tensor of host data (the CPU backend takes the array itself as its storage, without a copy). */
  static fromTypedArray(data: TypedArray, shape: Shape, dtype?: DType): Tensor {
    const n = numelOf(shape);
    if (data.length !== n) throw new Error(`Tensor: ${data.length} elements cannot have shape ${formatShape(shape)} (${n} elements)`);
    return new Tensor(getBackend("cpu").upload(data), shape, dtype ?? dtypeOfArray(data));
  }

  static empty(shape: Shape, dtype: DType = "float32"): Tensor {
    return new Tensor(getBackend("cpu").alloc(dtype, numelOf(shape)), shape, dtype);
  }

  /**
   * @internal Zero-filled storage for a module's own parameter (Backend.allocLongLived: on the wasm path, large
   * float32 ones live in wasm memory). Only for storage nobody else holds: nn.Parameter(t) keeps sharing t's.
   */
  static emptyLongLived(shape: Shape, dtype: DType = "float32"): Tensor {
    const be = getBackend("cpu");
    const n = numelOf(shape);
    return new Tensor(be.allocLongLived ? be.allocLongLived(dtype, n) : be.alloc(dtype, n), shape, dtype);
  }

  // ---- storage -------------------------------------------------------------------------------------
  numel(): number {
    return this._numel;
  }
  dim(): number {
    return this.shape.length;
  }
  get ndim(): number {
    return this.shape.length;
  }
  /** The elements on the host, read through the tensor's backend (the CPU backend hands back its storage). */
  dataSync(): TypedArray {
    return getBackend(this.device).readSync(this._data);
  }
  /** Asynchronous read-back of the elements (what a GPU tensor needs); on the CPU it resolves at once. */
  dataAsync(): Promise<TypedArray> {
    return getBackend(this.device).read(this._data);
  }
  /**
   * Releases this tensor's storage now instead of when the garbage collector collects it (tfjs's
   * `dispose`). It matters on backends that manage device memory; on the CPU the storage is a garbage
   * collected TypedArray and nothing happens. Do not use the tensor, or any view sharing its storage, after.
   */
  dispose(): void {
    releaseStorage(this, this._data, getBackend(this.device));
  }
  /**
   * PyTorch's `.data`: this tensor's values as a tensor sharing its storage, outside the graph
   * (`torch.max(outputs.data, 1)`, `net[0].weight.data.normal_(0, 0.01)`). Same as detach().
   */
  get data(): Tensor {
    return this.detach();
  }
  item(): number {
    if (this.numel() !== 1) {
      throw new Error(
        `item: only a one-element tensor can be converted to a number, this one has shape ${formatShape(this.shape)} ` +
          `(${this.numel()} elements); reduce it first (x.sum().item()), pick one element, or use x.tolist()`,
      );
    }
    return this.dataSync()[0];
  }
  tolist(): NestedArray {
    const data = this.dataSync();
    const shape = this.shape;
    if (shape.length === 0) return data[0];
    const build = (dim: number, offset: number): NestedArray[] => {
      const out: NestedArray[] = [];
      const size = shape[dim];
      let stride = 1;
      for (let d = dim + 1; d < shape.length; d++) stride *= shape[d];
      for (let i = 0; i < size; i++) {
        out.push(dim === shape.length - 1 ? data[offset + i] : build(dim + 1, offset + i * stride));
      }
      return out;
    };
    return build(0, 0);
  }
  toString(): string {
    return formatTensor(this);
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return formatTensor(this);
  }

  // ---- autograd ------------------------------------------------------------------------------------
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }
  set requiresGrad(value: boolean) {
    this.requiresGrad_(value);
  }
  get isLeaf(): boolean {
    return this.gradFn === null;
  }
  /** Sets requiresGrad on a leaf (floating dtypes only); returns this. */
  requiresGrad_(value = true): this {
    if (value && !isFloating(this.dtype)) {
      throw new Error(
        `requiresGrad_: only floating-point tensors can require gradients, this one is ${this.dtype}; ` +
          `convert it first (x.float()) or create it with { dtype: "float32" }.`,
      );
    }
    if (!this.isLeaf && !value) {
      throw new Error(`requiresGrad_: a non-leaf tensor (created by ${this.gradFn!.name}) always requires grad; use detach() to get one that does not.`);
    }
    if (this.isLeaf) this._requiresGrad = value;
    return this;
  }
  /** Keeps .grad for this non-leaf tensor during backward. */
  retainGrad(): this {
    if (!this.requiresGrad) throw new Error(`retainGrad: this tensor does not require grad`);
    this._retainsGrad = true;
    return this;
  }
  /**
   * Computes gradients of this tensor with respect to the graph's leaves and accumulates them into their .grad.
   * `y.backward()` for a scalar, `y.backward(gradient)` otherwise; options may also come first:
   * `y.backward({ retainGraph: true })`.
   */
  backward(gradient?: Tensor | { retainGraph?: boolean }, options: { retainGraph?: boolean } = {}): void {
    if (gradient !== undefined && !(gradient instanceof Tensor)) {
      runBackward(this, undefined, gradient.retainGraph ?? false);
      return;
    }
    runBackward(this, gradient, options.retainGraph ?? false);
  }
  detach_(): this {
    this.gradFn = null;
    this._requiresGrad = false;
    return this;
  }
  /** @internal whether an op recording now would attach a node */
  get _tracks(): boolean {
    return this._requiresGrad && isGradEnabled();
  }

}

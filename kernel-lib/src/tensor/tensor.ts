import { DType, TypedArray, allocate, dtypeOfArray, isFloating } from "./dtype";
import { Shape, formatShape, numelOf } from "./shape";
import { Node, isGradEnabled, runBackward } from "./autograd";
import { formatTensor } from "./format";
import * as ew from "../ops/elementwise";
import * as un from "../ops/unary";
import * as red from "../ops/reduce";
import * as mm from "../ops/matmul";
import * as sh from "../ops/shape";
import * as ix from "../ops/index";
import * as sm from "../ops/softmax";
import * as ip from "../ops/inplace";
import * as cv from "../ops/convert";
import * as item from "../ops/item";
import { installItemAccess } from "./item-access";

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
 * The methods below are thin: each op lives in src/ops/<family>.ts.
 */
export class Tensor {
  /**
   * `t[i]`: row i along the first dimension, as PyTorch's (a copy, not a view); negative i counts from the end and
   * an out-of-range i is an error. `t[i] = value` (a tensor broadcast to the row) writes the row in place.
   */
  [index: number]: Tensor;
  readonly shape: number[];
  readonly dtype: DType;
  readonly device: Device;
  /** @internal contiguous element storage (a backend Storage) */
  _data: TypedArray;
  /** @internal version counter shared by all views of one storage; in-place ops bump it */
  _version: { v: number };
  /** @internal the tensor whose storage this view shares, if any */
  _base: Tensor | null = null;
  /** @internal */
  _requiresGrad = false;
  /** @internal */
  _retainsGrad = false;
  /** Accumulated gradient (leaves, or tensors that called retainGrad()); null until a backward reaches it. */
  grad: Tensor | null = null;
  /** The node that created this tensor, or null for a leaf. */
  gradFn: Node | null = null;

  constructor(data: TypedArray, shape: Shape, dtype: DType, device: Device = "cpu") {
    const n = numelOf(shape);
    if (data.length !== n) {
      throw new Error(`Tensor: ${data.length} elements cannot have shape ${formatShape(shape)} (${n} elements)`);
    }
    this._data = data;
    this.shape = [...shape];
    this.dtype = dtype;
    this.device = device;
    this._version = { v: 0 };
  }

  static fromTypedArray(data: TypedArray, shape: Shape, dtype?: DType): Tensor {
    return new Tensor(data, shape, dtype ?? dtypeOfArray(data));
  }

  static empty(shape: Shape, dtype: DType = "float32"): Tensor {
    return new Tensor(allocate(dtype, numelOf(shape)), shape, dtype);
  }

  // ---- storage -------------------------------------------------------------------------------------
  numel(): number {
    return this._data.length;
  }
  dim(): number {
    return this.shape.length;
  }
  get ndim(): number {
    return this.shape.length;
  }
  /** size() is the shape; size(d) one dim (negative counts from the end). */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    return dim === undefined ? [...this.shape] : sh.sizeAt(this, dim);
  }
  dataSync(): TypedArray {
    return this._data;
  }
  /** Asynchronous read-back of the elements (what a GPU tensor needs); on the CPU it resolves at once. */
  dataAsync(): Promise<TypedArray> {
    return Promise.resolve(this._data);
  }
  /**
   * PyTorch's `.data`: this tensor's values as a tensor sharing its storage, outside the graph
   * (`torch.max(outputs.data, 1)`, `net[0].weight.data.normal_(0, 0.01)`). Same as detach().
   */
  get data(): Tensor {
    return this.detach();
  }
  item(): number {
    if (this._data.length !== 1) {
      throw new Error(
        `item: only a one-element tensor can be converted to a number, this one has shape ${formatShape(this.shape)} ` +
          `(${this._data.length} elements); reduce it first (x.sum().item()), pick one element, or use x.tolist()`,
      );
    }
    return this._data[0];
  }
  tolist(): NestedArray {
    const data = this._data;
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
  /** `for (const row of t)`: the rows along the first dimension, as PyTorch's iteration. */
  *[Symbol.iterator](): IterableIterator<Tensor> {
    if (this.shape.length === 0) throw new TypeError(`iteration over a 0-d tensor (shape []); use t.item()`);
    const n = this.shape[0];
    for (let i = 0; i < n; i++) yield sh.select(this, 0, i);
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
  /** A tensor sharing this storage, cut off from the graph. */
  detach(): Tensor {
    return cv.detach(this);
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

  // ---- conversion ----------------------------------------------------------------------------------
  clone(): Tensor {
    return cv.clone(this);
  }
  contiguous(): Tensor {
    return this;
  }
  /** to("cpu"), to("float64"), to(otherTensor) (its dtype and device). */
  to(target: DType | Device | Tensor): Tensor {
    return cv.to(this, target);
  }
  type(dtype: DType): Tensor {
    return cv.toDtype(this, dtype);
  }
  float(): Tensor {
    return cv.toDtype(this, "float32");
  }
  double(): Tensor {
    return cv.toDtype(this, "float64");
  }
  int(): Tensor {
    return cv.toDtype(this, "int32");
  }
  /** PyTorch's long(): int32 here (the only integer index type). */
  long(): Tensor {
    return cv.toDtype(this, "int32");
  }
  bool(): Tensor {
    return cv.toDtype(this, "bool");
  }
  cpu(): Tensor {
    return cv.to(this, "cpu");
  }
  /** @internal a ones tensor like this one, without autograd */
  onesLikeRaw(): Tensor {
    return cv.onesLikeRaw(this);
  }

  // ---- elementwise ---------------------------------------------------------------------------------
  add(other: Scalar, options?: { alpha?: number }): Tensor {
    return ew.add(this, other, options);
  }
  sub(other: Scalar, options?: { alpha?: number }): Tensor {
    return ew.sub(this, other, options);
  }
  mul(other: Scalar): Tensor {
    return ew.mul(this, other);
  }
  div(other: Scalar): Tensor {
    return ew.div(this, other);
  }
  pow(exponent: Scalar): Tensor {
    return ew.pow(this, exponent);
  }
  rsub(other: Scalar): Tensor {
    return ew.sub(other, this);
  }
  maximum(other: Scalar): Tensor {
    return ew.maximum(this, other);
  }
  minimum(other: Scalar): Tensor {
    return ew.minimum(this, other);
  }
  clamp(min?: number | null, max?: number | null): Tensor {
    return un.clamp(this, min, max);
  }
  eq(other: Scalar): Tensor {
    return ew.compare("eq", this, other);
  }
  ne(other: Scalar): Tensor {
    return ew.compare("ne", this, other);
  }
  gt(other: Scalar): Tensor {
    return ew.compare("gt", this, other);
  }
  lt(other: Scalar): Tensor {
    return ew.compare("lt", this, other);
  }
  ge(other: Scalar): Tensor {
    return ew.compare("ge", this, other);
  }
  le(other: Scalar): Tensor {
    return ew.compare("le", this, other);
  }
  logicalNot(): Tensor {
    return un.logicalNot(this);
  }

  neg(): Tensor {
    return un.neg(this);
  }
  exp(): Tensor {
    return un.exp(this);
  }
  log(): Tensor {
    return un.log(this);
  }
  sqrt(): Tensor {
    return un.sqrt(this);
  }
  abs(): Tensor {
    return un.abs(this);
  }
  square(): Tensor {
    return ew.mul(this, this);
  }
  sin(): Tensor {
    return un.sin(this);
  }
  cos(): Tensor {
    return un.cos(this);
  }
  sign(): Tensor {
    return un.sign(this);
  }
  relu(): Tensor {
    return un.relu(this);
  }
  sigmoid(): Tensor {
    return un.sigmoid(this);
  }
  tanh(): Tensor {
    return un.tanh(this);
  }
  softmax(dim: number): Tensor {
    return sm.softmax(this, dim);
  }
  logSoftmax(dim: number): Tensor {
    return sm.logSoftmax(this, dim);
  }

  // ---- linear algebra ------------------------------------------------------------------------------
  matmul(other: Tensor): Tensor {
    return mm.matmul(this, other);
  }
  mm(other: Tensor): Tensor {
    return mm.mm(this, other);
  }
  mv(vec: Tensor): Tensor {
    return mm.mv(this, vec);
  }
  dot(other: Tensor): Tensor {
    return mm.dot(this, other);
  }

  // ---- reductions ----------------------------------------------------------------------------------
  sum(dim?: number | number[] | null, keepdim = false): Tensor {
    return red.sum(this, dim, keepdim);
  }
  mean(dim?: number | number[] | null, keepdim = false): Tensor {
    return red.mean(this, dim, keepdim);
  }
  prod(dim?: number | null, keepdim = false): Tensor {
    return red.prod(this, dim, keepdim);
  }
  /** max() is the largest element; max(dim) gives { values, indices } along dim; max(tensor) is maximum. */
  max(): Tensor;
  max(dim: number, keepdim?: boolean): ValuesIndices;
  max(other: Tensor): Tensor;
  max(dim?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
    if (dim instanceof Tensor) return ew.maximum(this, dim);
    return dim === undefined ? red.maxAll(this, "max") : red.maxDim(this, dim, keepdim, "max");
  }
  min(): Tensor;
  min(dim: number, keepdim?: boolean): ValuesIndices;
  min(other: Tensor): Tensor;
  min(dim?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
    if (dim instanceof Tensor) return ew.minimum(this, dim);
    return dim === undefined ? red.maxAll(this, "min") : red.maxDim(this, dim, keepdim, "min");
  }
  argmax(dim?: number, keepdim = false): Tensor {
    return red.argExtreme(this, "argmax", dim, keepdim);
  }
  argmin(dim?: number, keepdim = false): Tensor {
    return red.argExtreme(this, "argmin", dim, keepdim);
  }
  /** p-norm over all elements or over dim (default p=2, the Frobenius/Euclidean norm). */
  norm(p: number = 2, dim?: number | number[] | null, keepdim = false): Tensor {
    return red.norm(this, p, dim, keepdim);
  }
  var(dim?: number | number[] | null, options: { correction?: number; keepdim?: boolean } = {}): Tensor {
    return red.variance(this, dim, options.correction ?? 1, options.keepdim ?? false);
  }
  std(dim?: number | number[] | null, options: { correction?: number; keepdim?: boolean } = {}): Tensor {
    return red.variance(this, dim, options.correction ?? 1, options.keepdim ?? false).sqrt();
  }

  // ---- shape ---------------------------------------------------------------------------------------
  reshape(...shape: (number | number[])[]): Tensor {
    return sh.reshape(this, sh.shapeArg(shape), "reshape");
  }
  view(...shape: (number | number[])[]): Tensor {
    return sh.reshape(this, sh.shapeArg(shape), "view");
  }
  flatten(startDim = 0, endDim = -1): Tensor {
    return sh.flatten(this, startDim, endDim);
  }
  /** The transpose of a 2-D tensor (a copy; see README: views vs copies). */
  get T(): Tensor {
    return sh.T(this);
  }
  t(): Tensor {
    return sh.T(this);
  }
  transpose(dim0: number, dim1: number): Tensor {
    return sh.transpose(this, dim0, dim1);
  }
  permute(...dims: (number | number[])[]): Tensor {
    return sh.permute(this, sh.shapeArg(dims));
  }
  unsqueeze(dim: number): Tensor {
    return sh.unsqueeze(this, dim);
  }
  squeeze(dim?: number): Tensor {
    return sh.squeeze(this, dim);
  }
  expand(...shape: (number | number[])[]): Tensor {
    return sh.expand(this, sh.shapeArg(shape));
  }
  expandAs(other: Tensor): Tensor {
    return sh.expand(this, other.shape);
  }
  viewAs(other: Tensor): Tensor {
    return sh.reshape(this, other.shape, "viewAs");
  }
  narrow(dim: number, start: number, length: number): Tensor {
    return sh.narrow(this, dim, start, length);
  }
  /** Row i along dim 0 (or along `dim`), dropping that dim. */
  select(dim: number, index: number): Tensor {
    return sh.select(this, dim, index);
  }
  indexSelect(dim: number, index: Tensor): Tensor {
    return ix.indexSelect(this, dim, index);
  }
  gather(dim: number, index: Tensor): Tensor {
    return ix.gather(this, dim, index);
  }
  /** Advanced indexing on leading dims: x.index([rows, cols]) is PyTorch's x[rows, cols]. */
  index(indices: (Tensor | number[])[]): Tensor {
    return ix.advancedIndex(this, indices);
  }
  /** Elements where mask is true, flattened (PyTorch's x[mask]). */
  maskedSelect(mask: Tensor): Tensor {
    return ix.maskedSelect(this, mask);
  }
  maskedFill(mask: Tensor, value: number): Tensor {
    return ew.where(mask, value, this);
  }

  // ---- in place (for initialisation, optimizers, from-scratch parameters) -------------------------
  add_(other: Scalar, options?: { alpha?: number }): this {
    const o = ip.scaled(other, options?.alpha);
    return ip.binaryInplace(this, "add_", "add", o, () => ew.add(this, o));
  }
  sub_(other: Scalar, options?: { alpha?: number }): this {
    const o = ip.scaled(other, options?.alpha);
    return ip.binaryInplace(this, "sub_", "sub", o, () => ew.sub(this, o));
  }
  mul_(other: Scalar): this {
    return ip.binaryInplace(this, "mul_", "mul", other, () => ew.mul(this, other));
  }
  div_(other: Scalar): this {
    return ip.binaryInplace(this, "div_", "div", other, () => ew.div(this, other));
  }
  pow_(exponent: Scalar): this {
    return ip.inplace(this, "pow_", () => ew.pow(this, exponent));
  }
  clamp_(min?: number | null, max?: number | null): this {
    return ip.inplace(this, "clamp_", () => un.clamp(this, min, max));
  }
  relu_(): this {
    return ip.inplace(this, "relu_", () => un.relu(this));
  }
  zero_(): this {
    return ip.fill(this, "zero_", 0);
  }
  fill_(value: number): this {
    return ip.fill(this, "fill_", value);
  }
  /** Copies src (broadcast, converted to this dtype) into this tensor's storage. */
  copy_(src: Tensor): this {
    if (!(src instanceof Tensor)) throw new Error(`copy_: the source must be a Tensor, got ${typeof src}; use fill_(value) for a number`);
    const offset = this.shape.length - src.shape.length;
    if (offset < 0 || src.shape.some((d, i) => d !== 1 && d !== this.shape[offset + i])) {
      throw new Error(
        `copy_: a source of shape ${formatShape(src.shape)} cannot be copied into a tensor of shape ${formatShape(this.shape)}; ` +
          `it must have the same shape (or broadcast to it)`,
      );
    }
    return ip.inplace(this, "copy_", () => sh.expand(cv.toDtype(src, this.dtype), this.shape));
  }
  normal_(mean = 0, std = 1): this {
    return ip.random(this, "normal_", "normal", mean, std);
  }
  uniform_(low = 0, high = 1): this {
    return ip.random(this, "uniform_", "uniform", low, high);
  }
  /** @internal grad accumulation: this += g without autograd or leaf checks */
  _addInPlaceRaw(g: Tensor): void {
    ip.addRaw(this, g);
  }
}

installItemAccess(Tensor.prototype, {
  what: "Tensor",
  getItem: (t, i) => item.getRow(t as Tensor, i),
  setItem: (t, i, value) => item.setRow(t as Tensor, i, value),
});

import { DType, TypedArray, allocate, dtypeOfArray } from "./dtype";
import { Shape, formatShape, numelOf } from "./shape";

export type Device = "cpu" | "webgpu";

/** Nested number arrays as returned by tolist(). */
export type NestedArray = number | NestedArray[];

/**
 * A dense, contiguous, row-major tensor. On the CPU its elements live in one TypedArray that may be
 * shared with other tensors (reshape/view share it, as in PyTorch).
 *
 * CONTRACT for code outside src/tensor and src/ops (datasets, display, nn, ...):
 *   Tensor.fromTypedArray(data, shape, dtype?)  wraps `data` without copying (takes ownership)
 *   t.shape, t.dtype, t.device, t.numel(), t.dim()
 *   t.dataSync()   the contiguous elements (do not mutate unless you own the tensor)
 *   t.tolist(), t.item()
 */
export class Tensor {
  readonly shape: number[];
  readonly dtype: DType;
  readonly device: Device = "cpu";
  /** @internal contiguous element storage */
  _data: TypedArray;

  constructor(data: TypedArray, shape: Shape, dtype: DType) {
    const n = numelOf(shape);
    if (data.length !== n) {
      throw new Error(`Tensor: ${data.length} elements cannot have shape ${formatShape(shape)} (${n} elements)`);
    }
    this._data = data;
    this.shape = [...shape];
    this.dtype = dtype;
  }

  static fromTypedArray(data: TypedArray, shape: Shape, dtype?: DType): Tensor {
    return new Tensor(data, shape, dtype ?? dtypeOfArray(data));
  }

  static empty(shape: Shape, dtype: DType = "float32"): Tensor {
    return new Tensor(allocate(dtype, numelOf(shape)), shape, dtype);
  }

  numel(): number {
    return this._data.length;
  }

  dim(): number {
    return this.shape.length;
  }

  dataSync(): TypedArray {
    return this._data;
  }

  item(): number {
    if (this._data.length !== 1) {
      throw new Error(`item: only a one-element tensor can be converted to a number, this one has shape ${formatShape(this.shape)}`);
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
}

import type { Backend } from "../backends/backend";
import { getBackend } from "../backends/registry";
import { DType, isFloating } from "../tensor/dtype";
import { Shape, numelOf } from "../tensor/shape";
import { Device, Tensor } from "../tensor/tensor-class";

/** Helpers shared by the op families: allocation on the right backend and scalar handling. */

export function backendOf(t: Tensor): Backend {
  return getBackend(t.device);
}

export function alloc(shape: Shape, dtype: DType, device: Device = "cpu"): Tensor {
  return new Tensor(getBackend(device).alloc(dtype, numelOf(shape)), shape, dtype, device);
}

/** A tensor whose elements are unspecified, for an output the kernel overwrites entirely (Backend.allocUninitialized). */
export function allocUninitialized(shape: Shape, dtype: DType, device: Device = "cpu"): Tensor {
  const be = getBackend(device), n = numelOf(shape);
  return new Tensor(be.allocUninitialized ? be.allocUninitialized(dtype, n) : be.alloc(dtype, n), shape, dtype, device);
}

/** A tensor that shares `t`'s storage with another shape (a view, as reshape/unsqueeze give). */
export function viewOf(t: Tensor, shape: Shape): Tensor {
  const v = new Tensor(t._data, shape, t.dtype, t.device);
  v._version = t._version;
  v._base = t._base ?? t;
  return v;
}

/** A plain number as a 0-d tensor of the dtype it takes next to `like` (PyTorch's scalar rule). */
export function scalarLike(value: number, like: DType, device: Device): Tensor {
  let dtype: DType = like;
  if (!isFloating(like) && !Number.isInteger(value)) dtype = "float32";
  else if (like === "bool" && value !== 0 && value !== 1) dtype = Number.isInteger(value) ? "int32" : "float32";
  const t = alloc([], dtype, device);
  backendOf(t).fill(t._data, value);
  return t;
}

export function toTensorPair(op: string, a: Tensor | number, b: Tensor | number): [Tensor, Tensor] {
  if (a instanceof Tensor && b instanceof Tensor) {
    if (a.device !== b.device) {
      throw new Error(`${op}: tensors are on different devices (${a.device} and ${b.device}); move one with .to(device)`);
    }
    return [a, b];
  }
  if (a instanceof Tensor) return [a, scalarLike(checkNumber(op, b), a.dtype, a.device)];
  if (b instanceof Tensor) return [scalarLike(checkNumber(op, a), b.dtype, b.device), b];
  const x = checkNumber(op, a), y = checkNumber(op, b);
  return [scalarLike(x, "float32", "cpu"), scalarLike(y, "float32", "cpu")];
}

function checkNumber(op: string, v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  throw new Error(`${op}: expected a Tensor or a number, got ${v === null ? "null" : typeof v}`);
}

/** Floating result type for ops like exp/div on integer inputs. */
export function floatType(dtype: DType): DType {
  return isFloating(dtype) ? dtype : "float32";
}

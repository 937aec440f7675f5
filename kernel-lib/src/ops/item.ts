import { installItemAccess } from "../tensor/item-access";
import { formatShape } from "../tensor/shape";
import { Tensor } from "../tensor/tensor-class";
import { scalarLike } from "./core";
import { toDtype } from "./convert";
import { inplace } from "./inplace";
import { cat, expand, narrow, reshape, select, unsqueeze } from "./shape";

/** The checked row number for `t[i]`: negative counts from the end, out of range is an IndexError-like message. */
function rowIndex(op: string, t: Tensor, i: number): number {
  if (t.shape.length === 0) {
    throw new Error(`${op}: invalid index of a 0-d tensor (t[${i}]); use t.item() to get its number`);
  }
  const n = t.shape[0];
  if (i < -n || i >= n) {
    throw new Error(`${op}: index ${i} is out of bounds for dimension 0 with size ${n} (shape ${formatShape(t.shape)})`);
  }
  return i < 0 ? i + n : i;
}

/** PyTorch's t[i]: row i along dim 0 (a copy of it here), differentiable. */
export function getRow(t: Tensor, i: number): Tensor {
  return select(t, 0, rowIndex("Tensor[index]", t, i));
}

/** PyTorch's t[i] = value: the row (a number or a tensor broadcast to the row's shape) written in place. */
export function setRow(t: Tensor, i: number, value: unknown): void {
  const op = "Tensor[index] = value";
  const r = rowIndex(op, t, i);
  let v: Tensor;
  if (value instanceof Tensor) v = value;
  else if (typeof value === "number" || typeof value === "boolean") v = scalarLike(Number(value), t.dtype, t.device);
  else throw new Error(`${op}: the value must be a Tensor or a number, got ${value === null ? "null" : typeof value}`);
  const row = t.shape.slice(1);
  const extra = v.shape.length - row.length;
  if (extra > 0 && v.shape.slice(0, extra).some((d) => d !== 1)) {
    throw new Error(`${op}: a value of shape ${formatShape(v.shape)} cannot be written into row ${i} of shape ${formatShape(row)}`);
  }
  const fitted = extra > 0 ? reshape(v, v.shape.slice(extra)) : v;
  if (fitted.shape.some((d, k) => d !== 1 && d !== row[row.length - fitted.shape.length + k])) {
    throw new Error(`${op}: a value of shape ${formatShape(v.shape)} cannot be written into row ${i} of shape ${formatShape(row)}`);
  }
  const n = t.shape[0];
  inplace(t, op, () => {
    const middle = unsqueeze(expand(toDtype(fitted, t.dtype), row), 0);
    const parts = [narrow(t, 0, 0, r), middle, narrow(t, 0, r + 1, n - r - 1)].filter((p) => p.shape[0] > 0);
    return parts.length === 1 ? parts[0] : cat(parts, 0);
  });
}

/** `for (const row of t)`: the rows along the first dimension, as PyTorch's iteration. */
export function* rows(t: Tensor): IterableIterator<Tensor> {
  if (t.shape.length === 0) throw new TypeError(`iteration over a 0-d tensor (shape []); use t.item()`);
  const n = t.shape[0];
  for (let i = 0; i < n; i++) yield select(t, 0, i);
}

installItemAccess(Tensor.prototype, { what: "Tensor", getItem: (t, i) => getRow(t as Tensor, i), setItem: (t, i, v) => setRow(t as Tensor, i, v) });

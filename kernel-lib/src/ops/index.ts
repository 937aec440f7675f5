import { record } from "../tensor/autograd";
import { formatShape, normDim, numelOf, sameShape } from "../tensor/shape";
import { Tensor } from "../tensor/tensor-class";
import { alloc, backendOf } from "./core";
import { reshape } from "./shape";

/** Checks an index tensor is int32 with every entry in [-size, size); returns it with negatives wrapped. */
export function checkIndex(op: string, index: Tensor, size: number, what: string): Tensor {
  if (!(index instanceof Tensor)) throw new Error(`${op}: index must be an int32 Tensor`);
  if (index.dtype !== "int32" && index.dtype !== "uint8") {
    throw new Error(`${op}: index must be an int32 tensor, got ${index.dtype}; convert it with index.int() or create it with { dtype: "int32" } (torch.arange(n) is float32 unless given { dtype: "int32" })`);
  }
  // one read of the indices for the range check; negatives are wrapped on the host and uploaded once
  const be = backendOf(index);
  const data = be.readSync(index._data);
  let wrapped: Int32Array | null = null;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < -size || v >= size) {
      throw new Error(`${op}: index ${v} is out of range for ${what} of size ${size}`);
    }
    if (v < 0) {
      if (!wrapped) wrapped = Int32Array.from(data);
      wrapped[i] = v + size;
    }
  }
  return wrapped ? new Tensor(be.upload(wrapped), index.shape, "int32", index.device) : index;
}

/** x.indexSelect(dim, index): the slices of x at `index` (1-D int32) along dim. */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = normDim("indexSelect", dim, x.dim());
  if (!(index instanceof Tensor) || index.dim() > 1) {
    throw new Error(`indexSelect: index must be a 1-D int32 tensor, got shape ${index instanceof Tensor ? formatShape(index.shape) : typeof index}`);
  }
  const size = x.dim() === 0 ? 1 : x.shape[d];
  const idx = checkIndex("indexSelect", index, size, `dim ${d} of a tensor of shape ${formatShape(x.shape)}`);
  const outer = numelOf(x.shape.slice(0, d));
  const inner = numelOf(x.shape.slice(d + 1));
  const shape = x.dim() === 0 ? [] : [...x.shape];
  if (x.dim() > 0) shape[d] = idx.numel();
  const out = alloc(shape, x.dtype, x.device);
  backendOf(x).indexSelect(x._data, outer, size, inner, idx._data, out._data);
  return record(out, "IndexSelectBackward", [x], (g) => {
    const gx = alloc(x.shape, g.dtype, g.device);
    backendOf(g).indexAdd(g._data, outer, size, inner, idx._data, gx._data);
    return [gx];
  }, []);
}

/** x.gather(dim, index): out[i][j] = x[i][index[i][j]] (dim 1), index with x's rank and sizes except along dim. */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = normDim("gather", dim, x.dim());
  if (!(index instanceof Tensor) || index.dim() !== x.dim() || index.shape.some((s, i) => i !== d && s !== x.shape[i])) {
    throw new Error(
      `gather: index of shape ${index instanceof Tensor ? formatShape(index.shape) : typeof index} must have the rank of the input ` +
        `${formatShape(x.shape)} and the same sizes except in dim ${d}`,
    );
  }
  const size = x.dim() === 0 ? 1 : x.shape[d];
  const idx = checkIndex("gather", index, size, `dim ${d} of a tensor of shape ${formatShape(x.shape)}`);
  const outer = numelOf(x.shape.slice(0, d));
  const inner = numelOf(x.shape.slice(d + 1));
  const idxSize = x.dim() === 0 ? 1 : index.shape[d];
  const out = alloc(index.shape, x.dtype, x.device);
  backendOf(x).gather(x._data, outer, size, inner, idx._data, idxSize, out._data);
  return record(out, "GatherBackward", [x], (g) => {
    const gx = alloc(x.shape, g.dtype, g.device);
    backendOf(g).scatterAdd(g._data, outer, size, inner, idx._data, idxSize, gx._data);
    return [gx];
  }, []);
}

/**
 * Advanced integer indexing on the leading dims: x.index([i0, i1, ...]) is PyTorch's x[i0, i1, ...] with
 * the index tensors broadcast together (so yHat.index([torch.arange(n), y]) picks yHat[k, y[k]]).
 */
export function advancedIndex(x: Tensor, indices: readonly (Tensor | number[])[]): Tensor {
  if (!Array.isArray(indices) || indices.length === 0 || indices.length > x.dim()) {
    throw new Error(`index: give between 1 and ${x.dim()} index tensors for a tensor of shape ${formatShape(x.shape)}`);
  }
  const be = backendOf(x);
  const idx = indices.map((t) => (t instanceof Tensor ? t : new Tensor(be.upload(Int32Array.from(t)), [t.length], "int32", x.device)));
  let shape = idx[0].shape;
  for (const t of idx) {
    if (!sameShape(t.shape, shape)) {
      if (t.numel() === 1) continue;
      if (numelOf(shape) === 1) shape = t.shape;
      else throw new Error(`index: index tensors of shapes ${idx.map((u) => formatShape(u.shape)).join(", ")} must have the same shape`);
    }
  }
  const n = numelOf(shape);
  const checked = idx.map((t, k) => checkIndex("index", t, x.shape[k], `dim ${k} of a tensor of shape ${formatShape(x.shape)}`));
  // flat row index into x viewed as [prod(leading dims), rest]
  const lead = x.shape.slice(0, idx.length);
  const rest = x.shape.slice(idx.length);
  // the offsets are computed on the host from one read of each index tensor, then uploaded once
  const hostIdx = checked.map((t) => backendOf(t).readSync(t._data));
  const offsets = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let off = 0;
    for (let k = 0; k < checked.length; k++) off = off * lead[k] + hostIdx[k][checked[k].numel() === 1 ? 0 : i];
    offsets[i] = off;
  }
  const flat = new Tensor(be.upload(offsets), [n], "int32", x.device);
  const rows = reshape(x, [numelOf(lead), ...rest]);
  const picked = indexSelect(rows, 0, flat);
  return reshape(picked, [...shape, ...rest]);
}

/** The elements of x where mask is true, as a 1-D tensor (PyTorch's x[mask]). */
export function maskedSelect(x: Tensor, mask: Tensor): Tensor {
  if (!(mask instanceof Tensor) || mask.dtype !== "bool" || !sameShape(mask.shape, x.shape)) {
    throw new Error(`maskedSelect: mask must be a bool tensor of the input's shape ${formatShape(x.shape)}`);
  }
  const m = backendOf(mask).readSync(mask._data);
  const picks: number[] = [];
  for (let i = 0; i < m.length; i++) if (m[i]) picks.push(i);
  return indexSelect(reshape(x, [x.numel()]), 0, new Tensor(backendOf(x).upload(Int32Array.from(picks)), [picks.length], "int32", x.device));
}

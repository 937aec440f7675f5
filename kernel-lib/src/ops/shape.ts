import { record } from "../tensor/autograd";
import { promoteTypes } from "../tensor/dtype";
import { formatShape, normDim, numelOf, sameShape, stridesOf } from "../tensor/shape";
import { Tensor } from "../tensor/tensor-class";
import { alloc, backendOf, viewOf } from "./core";
import { sumDimsRaw } from "./reduce";

/*
 * Views vs copies: reshape/view/flatten/unsqueeze/squeeze/detach share storage (a change through one is
 * seen through the other). transpose/T/permute/expand/narrow/select/cat/stack copy into fresh contiguous
 * storage, because every tensor here is contiguous; PyTorch makes some of these views, so code that writes
 * through a transposed view must write to the original instead.
 */

export function shapeArg(args: readonly (number | readonly number[])[]): number[] {
  if (args.length === 1 && Array.isArray(args[0])) return [...(args[0] as readonly number[])];
  return args as number[];
}

export function sizeAt(t: Tensor, dim: number): number {
  return t.shape[normDim("size", dim, t.dim())];
}

function inferShape(op: string, x: Tensor, shape: readonly number[]): number[] {
  let infer = -1;
  let known = 1;
  shape.forEach((d, i) => {
    if (d === -1) {
      if (infer >= 0) throw new Error(`${op}: only one dimension can be -1, got shape ${formatShape(shape)}`);
      infer = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new Error(`${op}: invalid size ${d} in shape ${formatShape(shape)}`);
    } else known *= d;
  });
  const out = [...shape];
  const n = x.numel();
  if (infer >= 0) {
    if (known === 0 || n % known !== 0) {
      throw new Error(`${op}: shape ${formatShape(shape)} is invalid for input of shape ${formatShape(x.shape)} (${n} elements)`);
    }
    out[infer] = n / known;
  } else if (known !== n) {
    throw new Error(`${op}: shape ${formatShape(shape)} is invalid for input of shape ${formatShape(x.shape)} (${n} elements)`);
  }
  return out;
}

/** reshape / view: always a view here (storage is contiguous), with one -1 inferred. */
export function reshape(x: Tensor, shape: readonly number[], op = "reshape"): Tensor {
  const target = inferShape(op, x, shape);
  const out = viewOf(x, target);
  return record(out, "ViewBackward", [x], (g) => [reshape(g, x.shape)], []);
}

export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.dim() === 0) return reshape(x, [1], "flatten");
  const s = normDim("flatten", startDim, x.dim());
  const e = normDim("flatten", endDim, x.dim());
  if (s > e) throw new Error(`flatten: startDim ${startDim} comes after endDim ${endDim} for shape ${formatShape(x.shape)}`);
  const shape = [...x.shape.slice(0, s), numelOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return reshape(x, shape, "flatten");
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normDim("unsqueeze", dim, x.dim() + 1);
  const shape = [...x.shape];
  shape.splice(d, 0, 1);
  return reshape(x, shape, "unsqueeze");
}

export function squeeze(x: Tensor, dim?: number): Tensor {
  if (dim === undefined) return reshape(x, x.shape.filter((s) => s !== 1), "squeeze");
  if (x.dim() === 0) return reshape(x, [], "squeeze");
  const d = normDim("squeeze", dim, x.dim());
  if (x.shape[d] !== 1) return reshape(x, x.shape, "squeeze");
  return reshape(x, x.shape.filter((_, i) => i !== d), "squeeze");
}

/** Copies a strided view of x into a new contiguous tensor (no autograd). */
function stridedCopy(x: Tensor, offset: number, shape: number[], strides: number[]): Tensor {
  const out = alloc(shape, x.dtype, x.device);
  backendOf(x).strided(x._data, offset, shape, strides, out._data);
  return out;
}

export function permute(x: Tensor, dims: readonly number[]): Tensor {
  if (dims.length !== x.dim()) {
    throw new Error(`permute: ${dims.length} dims [${dims}] given for a tensor of shape ${formatShape(x.shape)}`);
  }
  const d = dims.map((v) => normDim("permute", v, x.dim()));
  if (new Set(d).size !== d.length) throw new Error(`permute: dims [${dims}] repeat a dimension`);
  const xs = stridesOf(x.shape);
  const out = stridedCopy(x, 0, d.map((i) => x.shape[i]), d.map((i) => xs[i]));
  const inverse = new Array<number>(d.length);
  d.forEach((v, i) => (inverse[v] = i));
  return record(out, "PermuteBackward", [x], (g) => [permute(g, inverse)], []);
}

export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  if (x.dim() === 0) return reshape(x, [], "transpose");
  const a = normDim("transpose", dim0, x.dim());
  const b = normDim("transpose", dim1, x.dim());
  if (a === b) return reshape(x, x.shape, "transpose");
  const dims = x.shape.map((_, i) => i);
  dims[a] = b;
  dims[b] = a;
  return permute(x, dims);
}

/** T reverses the dims (the matrix transpose for 2-D; a 0-d or 1-D tensor is unchanged). */
export function T(x: Tensor): Tensor {
  if (x.dim() < 2) return reshape(x, x.shape, "T");
  return permute(x, x.shape.map((_, i) => x.dim() - 1 - i));
}

export function expand(x: Tensor, shape: readonly number[]): Tensor {
  if (shape.length < x.dim()) {
    throw new Error(`expand: target shape ${formatShape(shape)} has fewer dims than the tensor's ${formatShape(x.shape)}`);
  }
  const off = shape.length - x.dim();
  const xs = stridesOf(x.shape);
  const target = shape.map((s, i) => (s === -1 && i >= off ? x.shape[i - off] : s));
  const strides = target.map((s, i) => {
    if (i < off) return 0;
    const own = x.shape[i - off];
    if (own === s) return xs[i - off];
    if (own === 1) return 0;
    throw new Error(`expand: the tensor of shape ${formatShape(x.shape)} cannot be expanded to ${formatShape(shape)} (dim ${i}: ${own} is not 1)`);
  });
  if (sameShape(target, x.shape)) return reshape(x, x.shape, "expand");
  const out = stridedCopy(x, 0, target, strides);
  return record(out, "ExpandBackward", [x], (g) => [sumTo(g, x.shape)], []);
}

/** Sums a broadcast gradient back down to `shape` (the adjoint of broadcasting). */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const off = g.dim() - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.dim(); i++) {
    if (i < off || (shape[i - off] === 1 && g.shape[i] !== 1)) dims.push(i);
  }
  const summed = sumDimsRaw(g, dims, true);
  return reshape(summed, shape, "sumTo");
}

export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  if (x.dim() === 0) throw new Error(`narrow: cannot narrow a 0-d tensor`);
  const d = normDim("narrow", dim, x.dim());
  const size = x.shape[d];
  if (start < 0 && start >= -size) start += size;
  if (!Number.isInteger(start) || !Number.isInteger(length) || start < 0 || length < 0 || start + length > size) {
    throw new Error(`narrow: start ${start} and length ${length} are out of range for dim ${d} of size ${size} (shape ${formatShape(x.shape)})`);
  }
  const xs = stridesOf(x.shape);
  const shape = [...x.shape];
  shape[d] = length;
  const out = stridedCopy(x, start * xs[d], shape, xs);
  return record(out, "NarrowBackward", [x], (g) => [padInto(g, x.shape, d, start)], []);
}

/** A zero tensor of `shape` with g placed at offset `start` along dim (the adjoint of narrow). */
function padInto(g: Tensor, shape: readonly number[], dim: number, start: number): Tensor {
  const out = alloc(shape, g.dtype, g.device);
  placeBlocks([{ src: g, start }], out, dim);
  return out;
}

/** Up to this many outer rows, blocks are placed with one copy per row. */
const ROW_COPY_MAX_OUTER = 8;

/**
 * Copies each block's src into dst at offset `start` along dim (shapes equal except along dim; dst is zero-filled,
 * as alloc leaves it). With few outer rows, one copy per row. With many (cat along a later dim of a batch), a
 * row-by-row copy would be outer·k backend calls, each a dispatch on a device; instead each block is transposed so
 * that dim comes first, placed with one copy, and one strided copy transposes the whole back: 2k + 1 calls.
 */
function placeBlocks(blocks: ReadonlyArray<{ src: Tensor; start: number }>, dst: Tensor, dim: number): void {
  const outer = numelOf(dst.shape.slice(0, dim));
  const inner = numelOf(dst.shape.slice(dim + 1));
  const size = dst.shape[dim];
  const be = backendOf(dst);
  if (outer <= ROW_COPY_MAX_OUTER) {
    for (const { src, start } of blocks) {
      const srcRow = src.shape[dim] * inner;
      for (let o = 0; o < outer; o++) be.copy(src._data, o * srcRow, dst._data, o * size * inner + start * inner, srcRow);
    }
    return;
  }
  const dimFirst = alloc([size, outer, inner], dst.dtype, dst.device);
  for (const { src, start } of blocks) {
    const len = src.shape[dim];
    if (len === 0) continue;
    const moved = stridedCopy(src, 0, [len, outer, inner], [inner, len * inner, 1]);
    be.copy(moved._data, 0, dimFirst._data, start * outer * inner, len * outer * inner);
    moved.dispose();
  }
  be.strided(dimFirst._data, 0, [outer, size, inner], [inner, outer * inner, 1], dst._data);
  dimFirst.dispose();
}

export function select(x: Tensor, dim: number, index: number): Tensor {
  const d = normDim("select", dim, x.dim());
  const size = x.shape[d];
  if (!Number.isInteger(index) || index < -size || index >= size) {
    throw new Error(`select: index ${index} is out of range for dim ${d} of size ${size} (shape ${formatShape(x.shape)})`);
  }
  return squeeze(narrow(x, d, index < 0 ? index + size : index, 1), d);
}

export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!tensors || tensors.length === 0) throw new Error(`cat: expected a non-empty array of tensors`);
  const first = tensors[0];
  const d = normDim("cat", dim, first.dim());
  let total = 0;
  let dtype = first.dtype;
  for (const t of tensors) {
    if (t.dim() !== first.dim() || t.shape.some((s, i) => i !== d && s !== first.shape[i])) {
      const bad = t.dim() !== first.dim() ? -1 : t.shape.findIndex((s, i) => i !== d && s !== first.shape[i]);
      const why = bad < 0 ? `they have ${first.dim()} and ${t.dim()} dims` : `dim ${bad} has sizes ${first.shape[bad]} and ${t.shape[bad]}`;
      throw new Error(`cat: shapes ${tensors.map((u) => formatShape(u.shape)).join(", ")} must match except in dim ${d}: ${why}`);
    }
    total += t.shape[d];
    dtype = promoteTypes(dtype, t.dtype);
  }
  const shape = [...first.shape];
  shape[d] = total;
  const out = alloc(shape, dtype, first.device);
  const starts: number[] = [];
  let s = 0;
  for (const t of tensors) {
    starts.push(s);
    s += t.shape[d];
  }
  placeBlocks(tensors.map((t, i) => ({ src: t, start: starts[i] })), out, d);
  return record(out, "CatBackward", tensors, (g, needs) => tensors.map((t, i) => (needs[i] ? narrow(g, d, starts[i], t.shape[d]) : null)), []);
}

export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!tensors || tensors.length === 0) throw new Error(`stack: expected a non-empty array of tensors`);
  const first = tensors[0];
  for (const t of tensors) {
    if (!sameShape(t.shape, first.shape)) {
      throw new Error(`stack: all tensors must have the same shape, got ${tensors.map((u) => formatShape(u.shape)).join(", ")}`);
    }
  }
  const d = normDim("stack", dim, first.dim() + 1);
  return cat(tensors.map((t) => unsqueeze(t, d)), d);
}

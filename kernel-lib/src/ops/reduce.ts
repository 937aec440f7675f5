import type { ReduceOp } from "../backends/backend";
import { record } from "../tensor/autograd";
import { DType, allocate, isFloating } from "../tensor/dtype";
import { formatShape, normDim, numelOf } from "../tensor/shape";
import { Tensor, ValuesIndices } from "../tensor/tensor-class";
import { UNARY } from "./defs/index";
import { alloc, backendOf } from "./core";
import { binaryRaw, div, mul, pow, sub, where } from "./elementwise";
import { expand, reshape } from "./shape";
import { abs } from "./unary";

type Dims = number | readonly number[] | null | undefined;

/** Normalized, sorted, de-duplicated dims; all dims when none are given. */
function normDims(op: string, x: Tensor, dim: Dims): number[] {
  if (dim === undefined || dim === null) return x.shape.map((_, i) => i);
  const list = typeof dim === "number" ? [dim] : [...dim];
  const dims = [...new Set(list.map((d) => normDim(op, d, x.dim())))].sort((a, b) => a - b);
  return x.dim() === 0 ? [] : dims;
}

function keptShape(shape: readonly number[], dims: readonly number[]): number[] {
  return shape.map((s, i) => (dims.includes(i) ? 1 : s));
}

function reducedShape(shape: readonly number[], dims: readonly number[], keepdim: boolean): number[] {
  return keepdim ? keptShape(shape, dims) : shape.filter((_, i) => !dims.includes(i));
}

/** Reduces the given dims with one kernel call per run of consecutive dims (no autograd). */
function reduceRaw(op: ReduceOp, x: Tensor, dims: readonly number[], keepdim: boolean, dtype: DType): Tensor {
  let cur = x;
  let shape = [...x.shape];
  // walk runs from the last one so earlier dim numbers stay valid
  let i = dims.length - 1;
  while (i >= 0) {
    let j = i;
    while (j > 0 && dims[j - 1] === dims[j] - 1) j--;
    const lo = dims[j], hi = dims[i];
    const outer = numelOf(shape.slice(0, lo));
    const size = numelOf(shape.slice(lo, hi + 1));
    const inner = numelOf(shape.slice(hi + 1));
    const next = [...shape.slice(0, lo), ...shape.slice(lo, hi + 1).map(() => 1), ...shape.slice(hi + 1)];
    const out = alloc(next, dtype, x.device);
    backendOf(x).reduce(op, cur._data, outer, size, inner, out._data);
    cur = out;
    shape = next;
    i = j - 1;
  }
  if (dims.length === 0 && cur === x) {
    cur = alloc(x.shape, dtype, x.device);
    backendOf(x).copy(x._data, 0, cur._data, 0, x.numel());
  }
  return reshape(cur, reducedShape(x.shape, dims, keepdim));
}

function sumType(dtype: DType): DType {
  return isFloating(dtype) ? dtype : "int32";
}

/** Sum over dims without autograd (used by sumTo in backward). */
export function sumDimsRaw(x: Tensor, dims: readonly number[], keepdim: boolean): Tensor {
  return reduceRaw("sum", x, dims, keepdim, sumType(x.dtype));
}

export function sum(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  const dims = normDims("sum", x, dim);
  const out = reduceRaw("sum", x, dims, keepdim, sumType(x.dtype));
  return record(out, "SumBackward", [x], (g) => [expand(reshape(g, keptShape(x.shape, dims)), x.shape)], []);
}

export function mean(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  if (!isFloating(x.dtype)) {
    throw new Error(`mean: input dtype ${x.dtype} is not floating point; convert it first, e.g. x.float().mean()`);
  }
  const dims = normDims("mean", x, dim);
  const count = numelOf(dims.map((d) => x.shape[d]));
  return div(sum(x, dims, keepdim), count);
}

export function prod(x: Tensor, dim?: number | null, keepdim = false): Tensor {
  const dims = normDims("prod", x, dim);
  const out = reduceRaw("prod", x, dims, keepdim, sumType(x.dtype));
  // d prod / d x_i = prod / x_i (inputs with zeros need the product of the others: computed directly)
  return record(out, "ProdBackward", [x], (g) => {
    const n = x.numel();
    // computed on the host (rare, small): one read of x and of g, one upload of the result
    const be = backendOf(x);
    const xs = be.readSync(x._data);
    const gx = allocate(g.dtype, n);
    const outer = numelOf(x.shape.slice(0, dims[0] ?? 0));
    const size = numelOf(dims.map((d) => x.shape[d]));
    if (dims.length > 0 && !dims.every((d, i) => i === 0 || d === dims[i - 1] + 1)) {
      throw new Error(`prod: backward over non-adjacent dims is not supported`);
    }
    const inner = n / Math.max(outer * size, 1);
    const gk = expand(reshape(g, keptShape(x.shape, dims)), x.shape).dataSync();
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        for (let s = 0; s < size; s++) {
          let p = 1;
          for (let t = 0; t < size; t++) if (t !== s) p *= xs[(o * size + t) * inner + i];
          const at = (o * size + s) * inner + i;
          gx[at] = gk[at] * p;
        }
      }
    }
    return [new Tensor(be.upload(gx), x.shape, g.dtype, x.device)];
  });
}

/** max() / min() over all elements; the gradient is split evenly between tied maxima (as PyTorch does). */
export function maxAll(x: Tensor, op: "max" | "min"): Tensor {
  if (x.numel() === 0) throw new Error(`${op}: the tensor is empty (shape ${formatShape(x.shape)}); specify a dim or give a non-empty tensor`);
  const out = reduceRaw(op, x, normDims(op, x, null), false, x.dtype);
  return record(out, op === "max" ? "MaxBackward" : "MinBackward", [x], (g) => {
    const hit = binaryRaw("eq", x, out, g.dtype, op);
    return [mul(div(hit, sum(hit)), g)];
  }, [x, out]);
}

/** max(dim) / min(dim): values and first indices of the extreme along dim. */
export function maxDim(x: Tensor, dim: number, keepdim: boolean, op: "max" | "min"): ValuesIndices {
  if (x.dim() === 0) {
    return valuesIndices(reshape(x, []), alloc([], "int32", x.device));
  }
  const d = normDim(op, dim, x.dim());
  if (x.shape[d] === 0) throw new Error(`${op}: cannot reduce over dim ${d} of size 0 (shape ${formatShape(x.shape)})`);
  const values = reduceRaw(op, x, [d], keepdim, x.dtype);
  const indices = reduceRaw(op === "max" ? "argmax" : "argmin", x, [d], keepdim, "int32");
  record(values, op === "max" ? "MaxBackward" : "MinBackward", [x], (g) => {
    const gx = alloc(x.shape, g.dtype, x.device);
    const outer = numelOf(x.shape.slice(0, d));
    const inner = numelOf(x.shape.slice(d + 1));
    backendOf(x).scatterAdd(g._data, outer, x.shape[d], inner, indices._data, 1, gx._data);
    return [gx];
  }, []);
  return valuesIndices(values, indices);
}

function valuesIndices(values: Tensor, indices: Tensor): ValuesIndices {
  return {
    values,
    indices,
    *[Symbol.iterator]() {
      yield values;
      yield indices;
    },
  };
}

export function argExtreme(x: Tensor, op: "argmax" | "argmin", dim?: number | null, keepdim = false): Tensor {
  if (dim === undefined || dim === null) {
    if (x.numel() === 0) throw new Error(`${op}: the tensor is empty`);
    const flat = reshape(x, [x.numel()]);
    const r = reduceRaw(op, flat, [0], false, "int32");
    return keepdim ? reshape(r, x.shape.map(() => 1)) : r;
  }
  if (x.dim() === 0) return alloc([], "int32", x.device);
  return reduceRaw(op, x, [normDim(op, dim, x.dim())], keepdim, "int32");
}

/** p-norm; p=2 has a gradient of 0 at the zero vector (as PyTorch), p=Infinity is the max of |x|. */
export function norm(x: Tensor, p: number = 2, dim?: Dims, keepdim = false): Tensor {
  if (!isFloating(x.dtype)) throw new Error(`norm: input dtype ${x.dtype} is not floating point; convert it first with x.float()`);
  const dims = normDims("norm", x, dim);
  if (p === Infinity) {
    return dims.length === x.dim() && !keepdim ? maxAll(abs(x), "max") : maxOver(abs(x), dims, keepdim);
  }
  if (p === 2) {
    const sq = reduceRaw("sum", binaryRaw("mul", x, x, x.dtype, "norm"), dims, keepdim, x.dtype);
    const out = alloc(sq.shape, sq.dtype, sq.device);
    backendOf(x).unary(UNARY.sqrt, sq._data, out._data);
    return record(out, "NormBackward", [x], (g) => {
      const kept = keptShape(x.shape, dims);
      const safe = where(binaryRaw("eq", out, zero(out), "bool", "norm"), 1, out);
      return [mul(x, reshape(div(g, safe), kept))];
    }, [x, out]);
  }
  if (p === 1) return sum(abs(x), dims, keepdim);
  if (!(p > 0)) throw new Error(`norm: p must be positive (or Infinity), got ${p}`);
  return pow(sum(pow(abs(x), p), dims, keepdim), 1 / p);
}

function zero(t: Tensor): Tensor {
  return alloc([], t.dtype, t.device);
}

function maxOver(x: Tensor, dims: number[], keepdim: boolean): Tensor {
  let cur = x;
  for (let i = dims.length - 1; i >= 0; i--) cur = maxDim(cur, dims[i], true, "max").values;
  return keepdim ? cur : reshape(cur, reducedShape(x.shape, dims, false));
}

/** Variance with Bessel's correction by default (correction=1), as torch.var. */
export function variance(x: Tensor, dim: Dims, correction: number, keepdim: boolean): Tensor {
  const dims = normDims("var", x, dim);
  const n = numelOf(dims.map((d) => x.shape[d]));
  const centered = sub(x, mean(x, dims, true));
  return div(sum(mul(centered, centered), dims, keepdim), Math.max(n - correction, 0));
}

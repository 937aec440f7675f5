import { Tensor, Scalar, ValuesIndices } from "./tensor/tensor";
import type { DimOptions, NormOptions, VarOptions } from "./tensor/dim-options";
import { dimArgs, dimOnly } from "./tensor/dim-options";
import type { DType } from "./tensor/dtype";
import type { Device } from "./tensor/tensor";
import * as ew from "./ops/elementwise";
import * as un from "./ops/unary";
import * as red from "./ops/reduce";
import * as mmul from "./ops/matmul";
import * as sh from "./ops/shape";
import * as sm from "./ops/softmax";
import * as ix from "./ops/index";

export { Tensor };
export type { DType, Scalar, ValuesIndices };
export type { Device, NestedArray } from "./tensor/tensor";
export type { TensorOptions, TensorData } from "./tensor/creation";
export {
  tensor, zeros, ones, empty, full, arange, linspace, eye, randn, rand, randint, normal, randperm,
  zerosLike, onesLike, emptyLike, fullLike, randnLike, randLike, manualSeed, fromTypedArray,
} from "./tensor/creation";
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from "./tensor/autograd";
export { Generator, defaultGenerator } from "./tensor/random";

export * as nn from "./nn/index";
export * as optim from "./optim/index";
export * as utils from "./utils";
export * as datasets from "./datasets/index";
export * as transforms from "./transforms/index";
export * as autograd from "./tensor/autograd-grad";
export { save, load } from "./io/index";

// dtype names, as torch.float32 / torch.long
export const float32: DType = "float32";
export const float64: DType = "float64";
export const int32: DType = "int32";
export const uint8: DType = "uint8";
export const float: DType = "float32";
export const double: DType = "float64";
export const long: DType = "int32";
export const int: DType = "int32";
export const bool: DType = "bool";

/** torch.device("cpu"): devices are plain names here. */
export function device(name: string): Device {
  if (name === "cpu" || name === "webgpu") return name;
  const hint = name.startsWith("cuda") || name === "mps" ? ` (kernel-lib has no ${name}; torch.cuda.isAvailable() is false; its GPU device is "webgpu")` : "";
  throw new Error(`torch.device: unknown device "${name}"${hint}; use "cpu", or "webgpu" where torch.webgpu.isAvailable()`);
}
/** There is no CUDA in this library; the accelerator is WebGPU. */
export const cuda = { isAvailable: (): boolean => false };
/** torch.webgpu: the GPU device's questions and memory, in the spirit of torch.cuda. */
export { webgpu } from "./webgpu";

// elementwise
export const add = (a: Scalar, b: Scalar, options?: { alpha?: number }): Tensor => ew.add(a, b, options);
export const sub = (a: Scalar, b: Scalar, options?: { alpha?: number }): Tensor => ew.sub(a, b, options);
export const mul = (a: Scalar, b: Scalar): Tensor => ew.mul(a, b);
export const div = (a: Scalar, b: Scalar): Tensor => ew.div(a, b);
export const pow = (a: Scalar, b: Scalar): Tensor => ew.pow(a, b);
export const maximum = (a: Scalar, b: Scalar): Tensor => ew.maximum(a, b);
export const minimum = (a: Scalar, b: Scalar): Tensor => ew.minimum(a, b);
export const where = (cond: Tensor, a: Scalar, b: Scalar): Tensor => ew.where(cond, a, b);
export const eq = (a: Scalar, b: Scalar): Tensor => ew.compare("eq", a, b);
export const ne = (a: Scalar, b: Scalar): Tensor => ew.compare("ne", a, b);
export const gt = (a: Scalar, b: Scalar): Tensor => ew.compare("gt", a, b);
export const lt = (a: Scalar, b: Scalar): Tensor => ew.compare("lt", a, b);
export const ge = (a: Scalar, b: Scalar): Tensor => ew.compare("ge", a, b);
export const le = (a: Scalar, b: Scalar): Tensor => ew.compare("le", a, b);
export const logicalAnd = (a: Tensor, b: Tensor): Tensor => ew.logicalAnd(a, b);
export const logicalOr = (a: Tensor, b: Tensor): Tensor => ew.logicalOr(a, b);
export const logicalNot = (a: Tensor): Tensor => un.logicalNot(a);
export const clamp = (x: Tensor, min?: number | null, max?: number | null): Tensor => un.clamp(x, min, max);

export const neg = (x: Tensor): Tensor => un.neg(x);
export const exp = (x: Tensor): Tensor => un.exp(x);
export const log = (x: Tensor): Tensor => un.log(x);
export const sqrt = (x: Tensor): Tensor => un.sqrt(x);
export const abs = (x: Tensor): Tensor => un.abs(x);
export const sin = (x: Tensor): Tensor => un.sin(x);
export const cos = (x: Tensor): Tensor => un.cos(x);
export const sign = (x: Tensor): Tensor => un.sign(x);
export const floor = (x: Tensor): Tensor => un.floor(x);
export const ceil = (x: Tensor): Tensor => un.ceil(x);
export const round = (x: Tensor): Tensor => un.round(x);
export const square = (x: Tensor): Tensor => ew.mul(x, x);
export const relu = (x: Tensor): Tensor => un.relu(x);
export const sigmoid = (x: Tensor): Tensor => un.sigmoid(x);
export const tanh = (x: Tensor): Tensor => un.tanh(x);
export const softmax = (x: Tensor, dim: number | { dim: number }): Tensor => x.softmax(dim);
export const logSoftmax = (x: Tensor, dim: number | { dim: number }): Tensor => x.logSoftmax(dim);
export function logsumexp(x: Tensor, dim: number | DimOptions, keepdim?: boolean): Tensor {
  const [d, k] = dimArgs("logsumexp", dim, keepdim);
  return sm.logsumexp(x, d as number, k);
}

// linear algebra
export const matmul = (a: Tensor, b: Tensor): Tensor => mmul.matmul(a, b);
export const mm = (a: Tensor, b: Tensor): Tensor => mmul.mm(a, b);
export const mv = (a: Tensor, v: Tensor): Tensor => mmul.mv(a, v);
export const dot = (a: Tensor, b: Tensor): Tensor => mmul.dot(a, b);
export function bmm(a: Tensor, b: Tensor): Tensor {
  if (a.dim() !== 3 || b.dim() !== 3) throw new Error(`bmm: expects two 3-D tensors, got [${a.shape}] and [${b.shape}]`);
  return mmul.matmul(a, b);
}

// reductions
export const sum = (x: Tensor, dim?: number | number[] | null | DimOptions<number | number[] | null>, keepdim?: boolean): Tensor => x.sum(dim, keepdim);
export const mean = (x: Tensor, dim?: number | number[] | null | DimOptions<number | number[] | null>, keepdim?: boolean): Tensor => x.mean(dim, keepdim);
export const prod = (x: Tensor, dim?: number | null | DimOptions<number | null>, keepdim?: boolean): Tensor => x.prod(dim, keepdim);
export const argmax = (x: Tensor, dim?: number | DimOptions, keepdim?: boolean): Tensor => x.argmax(dim, keepdim);
export const argmin = (x: Tensor, dim?: number | DimOptions, keepdim?: boolean): Tensor => x.argmin(dim, keepdim);
export function norm(x: Tensor, p?: number, dim?: number | number[] | null | DimOptions<number | number[] | null>, keepdim?: boolean): Tensor;
export function norm(x: Tensor, options: NormOptions): Tensor;
export function norm(x: Tensor, p?: number | NormOptions, dim?: number | number[] | null | DimOptions<number | number[] | null>, keepdim?: boolean): Tensor {
  return x.norm(p as number, dim, keepdim);
}
export const std = (x: Tensor, dim?: number | number[] | null | boolean | VarOptions, unbiased?: boolean | Omit<VarOptions, "dim">, keepdim?: boolean): Tensor =>
  x.std(dim, unbiased, keepdim);
export { variance as var };

function variance(x: Tensor, dim?: number | number[] | null | boolean | VarOptions, unbiased?: boolean | Omit<VarOptions, "dim">, keepdim?: boolean): Tensor {
  return x.var(dim, unbiased, keepdim);
}

/** max(x): the largest element; max(x, dim): { values, indices }; max(x, other): elementwise maximum. */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function max(x: Tensor, options: { dim: number; keepdim?: boolean }): ValuesIndices;
export function max(x: Tensor, other: Tensor): Tensor;
export function max(x: Tensor, dim?: number | Tensor | DimOptions, keepdim?: boolean): Tensor | ValuesIndices {
  if (dim instanceof Tensor) return ew.maximum(x, dim);
  return dim === undefined ? x.max() : x.max(dim as number, keepdim);
}
export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function min(x: Tensor, options: { dim: number; keepdim?: boolean }): ValuesIndices;
export function min(x: Tensor, other: Tensor): Tensor;
export function min(x: Tensor, dim?: number | Tensor | DimOptions, keepdim?: boolean): Tensor | ValuesIndices {
  if (dim instanceof Tensor) return ew.minimum(x, dim);
  return dim === undefined ? x.min() : x.min(dim as number, keepdim);
}

// shape and indexing
export const reshape = (x: Tensor, shape: number[]): Tensor => sh.reshape(x, shape);
export function flatten(x: Tensor, startDim?: number, endDim?: number): Tensor;
export function flatten(x: Tensor, options: { startDim?: number; endDim?: number }): Tensor;
export function flatten(x: Tensor, startDim?: number | { startDim?: number; endDim?: number }, endDim?: number): Tensor {
  return x.flatten(startDim as number, endDim);
}
export const transpose = (x: Tensor, dim0: number, dim1: number): Tensor => sh.transpose(x, dim0, dim1);
export const permute = (x: Tensor, dims: number[]): Tensor => sh.permute(x, dims);
export const t = (x: Tensor): Tensor => sh.T(x);
export const unsqueeze = (x: Tensor, dim: number | { dim: number }): Tensor => x.unsqueeze(dim);
export const squeeze = (x: Tensor, dim?: number | { dim?: number }): Tensor => x.squeeze(dim);
/** cat(tensors, dim = 0) or cat(tensors, { dim }). */
export const cat = (tensors: Tensor[], dim?: number | { dim?: number }): Tensor => sh.cat(tensors, dimOnly("cat", dim) ?? 0);
export const concat = cat;
export const stack = (tensors: Tensor[], dim?: number | { dim?: number }): Tensor => sh.stack(tensors, dimOnly("stack", dim) ?? 0);
export const narrow = (x: Tensor, dim: number, start: number, length: number): Tensor => sh.narrow(x, dim, start, length);
export const indexSelect = (x: Tensor, dim: number, index: Tensor): Tensor => ix.indexSelect(x, dim, index);
export const gather = (x: Tensor, dim: number, index: Tensor): Tensor => ix.gather(x, dim, index);
export const scatter = (x: Tensor, dim: number, index: Tensor, src: Tensor | number): Tensor => x.scatter(dim, index, src);
export const numel = (x: Tensor): number => x.numel();
export const clone = (x: Tensor): Tensor => x.clone();
export const isTensor = (x: unknown): x is Tensor => x instanceof Tensor;

/**
 * torch.meshgrid(x, y, ..., { indexing }): for 1-D tensors of sizes n0, n1, ... the coordinate grids, each of shape
 * [n0, n1, ...] ("ij", the default) or with the first two dims swapped ("xy", NumPy's); differentiable.
 */
export function meshgrid(...args: (Tensor | Tensor[] | { indexing?: "ij" | "xy" })[]): Tensor[] {
  let indexing: "ij" | "xy" = "ij";
  const last = args[args.length - 1];
  if (last !== undefined && !(last instanceof Tensor) && !Array.isArray(last)) {
    indexing = last.indexing ?? "ij";
    if (indexing !== "ij" && indexing !== "xy") throw new Error(`meshgrid: indexing must be "ij" or "xy", got ${JSON.stringify(indexing)}`);
    args = args.slice(0, -1);
  }
  const tensors = (args.length === 1 && Array.isArray(args[0]) ? args[0] : args) as Tensor[];
  if (tensors.length === 0) throw new Error("meshgrid: expects at least one tensor");
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor) || t.dim() > 1) {
      throw new Error(`meshgrid: argument ${i} must be a 0-D or 1-D tensor, got ${t instanceof Tensor ? `shape [${t.shape}]` : typeof t}`);
    }
  });
  const flat = tensors.map((t) => t.reshape(-1));
  const swap = indexing === "xy" && flat.length >= 2;
  const order = swap ? [1, 0, ...flat.slice(2).map((_, i) => i + 2)] : flat.map((_, i) => i);
  const shape = order.map((i) => flat[i].shape[0]);
  return flat.map((t, i) => {
    const at = order.indexOf(i);
    const view = shape.map((n, d) => (d === at ? n : 1));
    return t.reshape(view).expand(shape);
  });
}

import type { DType } from "../tensor/dtype";
import { Device, Scalar, Tensor, ValuesIndices } from "../tensor/tensor-class";
import * as ew from "./elementwise";
import * as un from "./unary";
import * as red from "./reduce";
import * as mm from "./matmul";
import * as sh from "./shape";
import * as ix from "./index";
import * as sc from "./scatter";
import * as sm from "./softmax";
import * as ip from "./inplace";
import * as cv from "./convert";
import { formatShape } from "../tensor/shape";
import { DimOptions, NormOptions, VarOptions, dimArgs, dimOnly, keywordOptions, requiredDim, varArgs } from "../tensor/dim-options";
import * as item from "./item";

/**
 * The bodies of Tensor's methods, declared (with their docs) on the Tensor interface in tensor/tensor-class.ts.
 * Each is one call into an op family. They are installed on Tensor.prototype once, non-enumerable like class
 * methods; tensor/tensor.ts imports this file, so whoever imports Tensor from there gets them.
 */
const methods: ThisType<Tensor> & Record<string, unknown> = {
  size(dim?: number): number[] | number {
    return dim === undefined ? [...this.shape] : sh.sizeAt(this, dim);
  },
  detach(): Tensor {
    return cv.detach(this);
  },
  clone(): Tensor {
    return cv.clone(this);
  },
  contiguous(): Tensor {
    return this;
  },
  to(target: DType | Device | Tensor | string): Tensor {
    return cv.to(this, target);
  },
  type(dtype: DType): Tensor {
    return cv.toDtype(this, dtype);
  },
  float(): Tensor {
    return cv.toDtype(this, "float32");
  },
  double(): Tensor {
    return cv.toDtype(this, "float64");
  },
  int(): Tensor {
    return cv.toDtype(this, "int32");
  },
  long(): Tensor {
    return cv.toDtype(this, "int32");
  },
  bool(): Tensor {
    return cv.toDtype(this, "bool");
  },
  cpu(): Tensor {
    return cv.to(this, "cpu");
  },
  onesLikeRaw(): Tensor {
    return cv.onesLikeRaw(this);
  },
  add(other: Scalar, options?: { alpha?: number }): Tensor {
    return ew.add(this, other, options);
  },
  sub(other: Scalar, options?: { alpha?: number }): Tensor {
    return ew.sub(this, other, options);
  },
  mul(other: Scalar): Tensor {
    return ew.mul(this, other);
  },
  div(other: Scalar): Tensor {
    return ew.div(this, other);
  },
  pow(exponent: Scalar): Tensor {
    return ew.pow(this, exponent);
  },
  rsub(other: Scalar): Tensor {
    return ew.sub(other, this);
  },
  maximum(other: Scalar): Tensor {
    return ew.maximum(this, other);
  },
  minimum(other: Scalar): Tensor {
    return ew.minimum(this, other);
  },
  clamp(min?: number | null, max?: number | null): Tensor {
    return un.clamp(this, min, max);
  },
  eq(other: Scalar): Tensor {
    return ew.compare("eq", this, other);
  },
  ne(other: Scalar): Tensor {
    return ew.compare("ne", this, other);
  },
  gt(other: Scalar): Tensor {
    return ew.compare("gt", this, other);
  },
  lt(other: Scalar): Tensor {
    return ew.compare("lt", this, other);
  },
  ge(other: Scalar): Tensor {
    return ew.compare("ge", this, other);
  },
  le(other: Scalar): Tensor {
    return ew.compare("le", this, other);
  },
  logicalNot(): Tensor {
    return un.logicalNot(this);
  },
  neg(): Tensor {
    return un.neg(this);
  },
  exp(): Tensor {
    return un.exp(this);
  },
  log(): Tensor {
    return un.log(this);
  },
  sqrt(): Tensor {
    return un.sqrt(this);
  },
  abs(): Tensor {
    return un.abs(this);
  },
  square(): Tensor {
    return ew.mul(this, this);
  },
  sin(): Tensor {
    return un.sin(this);
  },
  cos(): Tensor {
    return un.cos(this);
  },
  sign(): Tensor {
    return un.sign(this);
  },
  relu(): Tensor {
    return un.relu(this);
  },
  sigmoid(): Tensor {
    return un.sigmoid(this);
  },
  tanh(): Tensor {
    return un.tanh(this);
  },
  softmax(dim: number | { dim: number }): Tensor {
    return sm.softmax(this, requiredDim(dim));
  },
  logSoftmax(dim: number | { dim: number }): Tensor {
    return sm.logSoftmax(this, requiredDim(dim));
  },
  matmul(other: Tensor): Tensor {
    return mm.matmul(this, other);
  },
  mm(other: Tensor): Tensor {
    return mm.mm(this, other);
  },
  mv(vec: Tensor): Tensor {
    return mm.mv(this, vec);
  },
  dot(other: Tensor): Tensor {
    return mm.dot(this, other);
  },
  sum(dim?: number | number[] | null | DimOptions<number | number[] | null>, keepdim?: boolean): Tensor {
    const [d, k] = dimArgs("sum", dim, keepdim);
    return red.sum(this, d, k);
  },
  mean(dim?: number | number[] | null | DimOptions<number | number[] | null>, keepdim?: boolean): Tensor {
    const [d, k] = dimArgs("mean", dim, keepdim);
    return red.mean(this, d, k);
  },
  prod(dim?: number | null | DimOptions<number | null>, keepdim?: boolean): Tensor {
    const [d, k] = dimArgs("prod", dim, keepdim);
    return red.prod(this, d, k);
  },
  max(dim?: number | Tensor | DimOptions, keepdim?: boolean): Tensor | ValuesIndices {
    if (dim instanceof Tensor) return ew.maximum(this, dim);
    const [d, k] = dimArgs("max", dim, keepdim);
    return d === undefined ? red.maxAll(this, "max") : red.maxDim(this, d, k, "max");
  },
  min(dim?: number | Tensor | DimOptions, keepdim?: boolean): Tensor | ValuesIndices {
    if (dim instanceof Tensor) return ew.minimum(this, dim);
    const [d, k] = dimArgs("min", dim, keepdim);
    return d === undefined ? red.maxAll(this, "min") : red.maxDim(this, d, k, "min");
  },
  argmax(dim?: number | DimOptions, keepdim?: boolean): Tensor {
    const [d, k] = dimArgs("argmax", dim, keepdim);
    return red.argExtreme(this, "argmax", d, k);
  },
  argmin(dim?: number | DimOptions, keepdim?: boolean): Tensor {
    const [d, k] = dimArgs("argmin", dim, keepdim);
    return red.argExtreme(this, "argmin", d, k);
  },
  norm(p?: number | NormOptions, dim?: number | number[] | null | DimOptions<number | number[] | null>, keepdim?: boolean): Tensor {
    const o = keywordOptions("norm", p, ["p", "dim", "keepdim"] as const);
    if (o) return red.norm(this, (o.p as number | undefined) ?? 2, o.dim as number | number[] | null | undefined, (o.keepdim as boolean | undefined) ?? false);
    const [d, k] = dimArgs("norm", dim, keepdim);
    return red.norm(this, (p as number | undefined) ?? 2, d, k);
  },
  var(dim?: number | number[] | null | boolean | VarOptions, unbiased?: boolean | Omit<VarOptions, "dim">, keepdim?: boolean): Tensor {
    const [d, correction, k] = varArgs("var", dim, unbiased, keepdim);
    return red.variance(this, d, correction, k);
  },
  std(dim?: number | number[] | null | boolean | VarOptions, unbiased?: boolean | Omit<VarOptions, "dim">, keepdim?: boolean): Tensor {
    const [d, correction, k] = varArgs("std", dim, unbiased, keepdim);
    return red.variance(this, d, correction, k).sqrt();
  },
  reshape(...shape: (number | number[])[]): Tensor {
    return sh.reshape(this, sh.shapeArg(shape), "reshape");
  },
  view(...shape: (number | number[])[]): Tensor {
    return sh.reshape(this, sh.shapeArg(shape), "view");
  },
  flatten(startDim?: number | { startDim?: number; endDim?: number }, endDim?: number): Tensor {
    const o = keywordOptions("flatten", startDim, ["startDim", "endDim"] as const);
    if (o) return sh.flatten(this, (o.startDim as number | undefined) ?? 0, (o.endDim as number | undefined) ?? -1);
    return sh.flatten(this, (startDim as number | undefined) ?? 0, endDim ?? -1);
  },
  get T(): Tensor {
    return sh.T(this);
  },
  t(): Tensor {
    return sh.T(this);
  },
  transpose(dim0: number, dim1: number): Tensor {
    return sh.transpose(this, dim0, dim1);
  },
  permute(...dims: (number | number[])[]): Tensor {
    return sh.permute(this, sh.shapeArg(dims));
  },
  unsqueeze(dim: number | { dim: number }): Tensor {
    return sh.unsqueeze(this, dimOnly("unsqueeze", dim) as number);
  },
  squeeze(dim?: number | { dim?: number }): Tensor {
    return sh.squeeze(this, dimOnly("squeeze", dim));
  },
  expand(...shape: (number | number[])[]): Tensor {
    return sh.expand(this, sh.shapeArg(shape));
  },
  expandAs(other: Tensor): Tensor {
    return sh.expand(this, other.shape);
  },
  viewAs(other: Tensor): Tensor {
    return sh.reshape(this, other.shape, "viewAs");
  },
  narrow(dim: number, start: number, length: number): Tensor {
    return sh.narrow(this, dim, start, length);
  },
  select(dim: number, index: number): Tensor {
    return sh.select(this, dim, index);
  },
  indexSelect(dim: number, index: Tensor): Tensor {
    return ix.indexSelect(this, dim, index);
  },
  gather(dim: number, index: Tensor): Tensor {
    return ix.gather(this, dim, index);
  },
  scatter(dim: number, index: Tensor, src: Tensor | number): Tensor {
    return sc.scatter(this, dim, index, src);
  },
  scatter_(dim: number, index: Tensor, src: Tensor | number): Tensor {
    return ip.inplace(this, "scatter_", () => sc.scatter(this, dim, index, src, "scatter_"));
  },
  index(indices: (Tensor | number[])[]): Tensor {
    return ix.advancedIndex(this, indices);
  },
  maskedSelect(mask: Tensor): Tensor {
    return ix.maskedSelect(this, mask);
  },
  maskedFill(mask: Tensor, value: number): Tensor {
    return ew.where(mask, value, this);
  },
  add_(other: Scalar, options?: { alpha?: number }): Tensor {
    const o = ip.scaled(other, options?.alpha);
    return ip.binaryInplace(this, "add_", "add", o, () => ew.add(this, o));
  },
  sub_(other: Scalar, options?: { alpha?: number }): Tensor {
    const o = ip.scaled(other, options?.alpha);
    return ip.binaryInplace(this, "sub_", "sub", o, () => ew.sub(this, o));
  },
  mul_(other: Scalar): Tensor {
    return ip.binaryInplace(this, "mul_", "mul", other, () => ew.mul(this, other));
  },
  div_(other: Scalar): Tensor {
    return ip.binaryInplace(this, "div_", "div", other, () => ew.div(this, other));
  },
  pow_(exponent: Scalar): Tensor {
    return ip.inplace(this, "pow_", () => ew.pow(this, exponent));
  },
  clamp_(min?: number | null, max?: number | null): Tensor {
    return ip.inplace(this, "clamp_", () => un.clamp(this, min, max));
  },
  relu_(): Tensor {
    return ip.inplace(this, "relu_", () => un.relu(this));
  },
  zero_(): Tensor {
    return ip.fill(this, "zero_", 0);
  },
  fill_(value: number): Tensor {
    return ip.fill(this, "fill_", value);
  },
  copy_(src: Tensor): Tensor {
    if (!(src instanceof Tensor)) throw new Error(`copy_: the source must be a Tensor, got ${typeof src}; use fill_(value) for a number`);
    const offset = this.shape.length - src.shape.length;
    if (offset < 0 || src.shape.some((d, i) => d !== 1 && d !== this.shape[offset + i])) {
      throw new Error(
        `copy_: a source of shape ${formatShape(src.shape)} cannot be copied into a tensor of shape ${formatShape(this.shape)}; ` +
          `it must have the same shape (or broadcast to it)`,
      );
    }
    return ip.inplace(this, "copy_", () => sh.expand(cv.toDtype(src, this.dtype), this.shape));
  },
  normal_(mean = 0, std = 1): Tensor {
    return ip.random(this, "normal_", "normal", mean, std);
  },
  uniform_(low = 0, high = 1): Tensor {
    return ip.random(this, "uniform_", "uniform", low, high);
  },
  _addInPlaceRaw(g: Tensor): void {
    ip.addRaw(this, g);
  },
  round(): Tensor {
    return un.round(this);
  },
  floor(): Tensor {
    return un.floor(this);
  },
  ceil(): Tensor {
    return un.ceil(this);
  },
  [Symbol.iterator](): IterableIterator<Tensor> {
    return item.rows(this);
  },
};

for (const key of Reflect.ownKeys(methods)) {
  const descriptor = Object.getOwnPropertyDescriptor(methods, key)!;
  Object.defineProperty(Tensor.prototype, key, { ...descriptor, enumerable: false });
}

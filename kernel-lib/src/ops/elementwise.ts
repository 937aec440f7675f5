import type { ElementwiseKernel } from "../backends/backend";
import { record } from "../tensor/autograd";
import { DType, isFloating, promoteTypes } from "../tensor/dtype";
import { broadcastShapes, broadcastStrides } from "../tensor/shape";
import { Tensor } from "../tensor/tensor-class";
import { alloc, backendOf, toTensorPair } from "./core";
import { sumTo } from "./shape";
import { BINARY, BinaryOp, UNARY } from "./defs/index";

type Operand = Tensor | number;

/** Runs a broadcast binary kernel (no autograd): the building block of every binary op. */
export function binaryRaw(op: BinaryOp, a: Tensor, b: Tensor, dtype: DType, name: string = op, p0?: number, p1?: number): Tensor {
  return binaryRawKernel(BINARY[op], a, b, dtype, name, p0, p1);
}

/** binaryRaw with a kernel object (the derivative kernels of declared functions). */
export function binaryRawKernel(kernel: ElementwiseKernel, a: Tensor, b: Tensor, dtype: DType, name: string, p0?: number, p1?: number): Tensor {
  const shape = broadcastShapes(name, a.shape, b.shape);
  const out = alloc(shape, dtype, a.device);
  backendOf(a).binary(kernel, a._data, b._data, out._data, { shape, strides: [broadcastStrides(a.shape, shape), broadcastStrides(b.shape, shape)] }, p0, p1);
  return out;
}

function arithmeticType(a: Tensor, b: Tensor): DType {
  const t = promoteTypes(a.dtype, b.dtype);
  return t === "bool" ? "int32" : t;
}

export function add(x: Operand, y: Operand, options?: { alpha?: number }): Tensor {
  const alpha = options?.alpha ?? 1;
  if (alpha !== 1) return add(x, mul(y, alpha));
  const [a, b] = toTensorPair("add", x, y);
  const out = binaryRaw("add", a, b, arithmeticType(a, b), "add");
  return record(out, "AddBackward", [a, b], (g, needs) => [needs[0] ? sumTo(g, a.shape) : null, needs[1] ? sumTo(g, b.shape) : null], []);
}

export function sub(x: Operand, y: Operand, options?: { alpha?: number }): Tensor {
  const alpha = options?.alpha ?? 1;
  if (alpha !== 1) return sub(x, mul(y, alpha));
  const [a, b] = toTensorPair("sub", x, y);
  const out = binaryRaw("sub", a, b, arithmeticType(a, b), "sub");
  return record(out, "SubBackward", [a, b], (g, needs) => [needs[0] ? sumTo(g, a.shape) : null, needs[1] ? sumTo(neg(g), b.shape) : null], []);
}

export function mul(x: Operand, y: Operand): Tensor {
  const [a, b] = toTensorPair("mul", x, y);
  const out = binaryRaw("mul", a, b, arithmeticType(a, b), "mul");
  return record(out, "MulBackward", [a, b], (g, needs) => [
    needs[0] ? sumTo(mul(g, b), a.shape) : null,
    needs[1] ? sumTo(mul(g, a), b.shape) : null,
  ], savedFor(a, b));
}

/** What a product-like backward reads: a only when b needs a gradient, and vice versa. */
function savedFor(a: Tensor, b: Tensor): Tensor[] {
  const saved: Tensor[] = [];
  if (a.requiresGrad) saved.push(b);
  if (b.requiresGrad) saved.push(a);
  return saved;
}

export function div(x: Operand, y: Operand): Tensor {
  const [a, b] = toTensorPair("div", x, y);
  let dtype = arithmeticType(a, b);
  if (!isFloating(dtype)) dtype = "float32";
  const out = binaryRaw("div", a, b, dtype, "div");
  return record(out, "DivBackward", [a, b], (g, needs) => [
    needs[0] ? sumTo(div(g, b), a.shape) : null,
    needs[1] ? sumTo(neg(div(mul(g, a), mul(b, b))), b.shape) : null,
  ], b.requiresGrad ? [a, b] : [b]);
}

export function pow(x: Operand, y: Operand): Tensor {
  const [a, b] = toTensorPair("pow", x, y);
  const out = binaryRaw("pow", a, b, arithmeticType(a, b), "pow");
  if (typeof y === "number") {
    return record(out, "PowBackward", [a], (g) => [binaryRaw("powGradBase", g, a, g.dtype, "pow", y)], [a]);
  }
  return record(out, "PowBackward", [a, b], (g, needs) => [
    needs[0] ? sumTo(mul(g, mul(b, pow(a, sub(b, 1)))), a.shape) : null,
    // d/db a^b = a^b log a, taken as 0 where a == 0 and b > 0 (PyTorch's convention)
    needs[1] ? sumTo(mul(g, where(eq(a, 0), 0, mul(pow(a, b), log(a)))), b.shape) : null,
  ]);
}

function neg(t: Tensor): Tensor {
  return mul(t, -1);
}

function log(t: Tensor): Tensor {
  const out = alloc(t.shape, t.dtype, t.device);
  backendOf(t).unary(UNARY.log, t._data, out._data);
  return out;
}

function eq(a: Tensor, b: number): Tensor {
  return compare("eq", a, b);
}

/** maximum/minimum: the gradient goes to the larger (smaller) input, split evenly on ties as PyTorch does. */
function extremum(op: "maximum" | "minimum", x: Operand, y: Operand): Tensor {
  const [a, b] = toTensorPair(op, x, y);
  const out = binaryRaw(op, a, b, arithmeticType(a, b), op);
  return record(out, op === "maximum" ? "MaximumBackward" : "MinimumBackward", [a, b], (g, needs) => {
    const aWins = binaryRaw(op === "maximum" ? "gt" : "lt", a, b, g.dtype, op);
    const tie = binaryRaw("eq", a, b, g.dtype, op);
    const wa = add(aWins, mul(tie, 0.5));
    return [needs[0] ? sumTo(mul(g, wa), a.shape) : null, needs[1] ? sumTo(mul(g, sub(1, wa)), b.shape) : null];
  });
}

export function maximum(x: Operand, y: Operand): Tensor {
  return extremum("maximum", x, y);
}

export function minimum(x: Operand, y: Operand): Tensor {
  return extremum("minimum", x, y);
}

export type CompareOp = "eq" | "ne" | "gt" | "lt" | "ge" | "le";

/** Comparisons give bool tensors and carry no gradient. */
export function compare(op: CompareOp, x: Operand, y: Operand): Tensor {
  const [a, b] = toTensorPair(op, x, y);
  return binaryRaw(op, a, b, "bool", op);
}

export function logicalAnd(x: Tensor, y: Tensor): Tensor {
  return binaryRaw("and", x, y, "bool", "logicalAnd");
}

export function logicalOr(x: Tensor, y: Tensor): Tensor {
  return binaryRaw("or", x, y, "bool", "logicalOr");
}

/** where(cond, a, b): a where cond is true, else b, all broadcast together. */
export function where(cond: Tensor, x: Operand, y: Operand): Tensor {
  if (!(cond instanceof Tensor)) throw new Error(`where: condition must be a Tensor (bool), got ${typeof cond}`);
  const [a, b] = toTensorPair("where", x, y);
  const shape = broadcastShapes("where", broadcastShapes("where", cond.shape, a.shape), b.shape);
  const out = alloc(shape, arithmeticType(a, b), a.device);
  const strides = [broadcastStrides(cond.shape, shape), broadcastStrides(a.shape, shape), broadcastStrides(b.shape, shape)];
  backendOf(a).where(cond._data, a._data, b._data, out._data, { shape, strides });
  return record(out, "WhereBackward", [a, b], (g, needs) => [
    needs[0] ? sumTo(where(cond, g, 0), a.shape) : null,
    needs[1] ? sumTo(where(cond, 0, g), b.shape) : null,
  ], [cond]);
}

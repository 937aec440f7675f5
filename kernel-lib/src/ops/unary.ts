import { record } from "../tensor/autograd";
import { DType, isFloating } from "../tensor/dtype";
import { Tensor } from "../tensor/tensor-class";
import { alloc, backendOf, floatType } from "./core";
import { binaryRaw, binaryRawKernel, mul, div, where } from "./elementwise";
import { ACTIVATIONS, MATH_UNARY_DECLS, UNARY, UnaryDef, UnaryOp } from "./defs/index";

/** Runs a unary kernel (no autograd). */
export function unaryRaw(op: UnaryOp, x: Tensor, dtype: DType, p0?: number, p1?: number): Tensor {
  const out = alloc(x.shape, dtype, x.device);
  backendOf(x).unary(UNARY[op], x._data, out._data, p0, p1);
  return out;
}

function checkTensor(op: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) throw new Error(`${op}: expected a Tensor, got ${x === null ? "null" : typeof x}`);
  return x;
}

/**
 * The op of a declared unary function (ops/defs): its forward kernel, and one autograd node whose backward is
 * the declared derivative kernel on (g, saved input or output).
 */
function fromDecl(
  def: UnaryDef,
  dtypeOf: (x: Tensor) => DType = (x) => (def.dtype === "keep" ? (x.dtype === "bool" ? "int32" : x.dtype) : floatType(x.dtype)),
  errorName: string = def.node,
) {
  const node = `${def.node}Backward`;
  return (xIn: Tensor, p0?: number, p1?: number): Tensor => {
    const x = checkTensor(errorName, xIn);
    const out = alloc(x.shape, dtypeOf(x), x.device);
    backendOf(x).unary(def.forwardKernel, x._data, out._data, p0, p1);
    const saved = def.gradOf === "input" ? x : out;
    return record(out, node, [x], (g) => [binaryRawKernel(def.gradKernel, g, saved, g.dtype, def.node, p0, p1)], [saved]);
  };
}

export const exp = (x: Tensor): Tensor => {
  const out = unaryRaw("exp", checkTensor("exp", x), floatType(x.dtype));
  return record(out, "ExpBackward", [x], (g) => [mul(g, out)], [out]);
};
export const log = (x: Tensor): Tensor => {
  const out = unaryRaw("log", checkTensor("log", x), floatType(x.dtype));
  return record(out, "LogBackward", [x], (g) => [div(g, x)]);
};
export const sqrt = fromDecl(MATH_UNARY_DECLS.sqrt);
export const sigmoid = fromDecl(ACTIVATIONS.sigmoid);
export const tanh = fromDecl(ACTIVATIONS.tanh);
export const gelu = fromDecl(ACTIVATIONS.gelu);
export const geluTanh = fromDecl(ACTIVATIONS.geluTanh);
export const silu = fromDecl(ACTIVATIONS.silu);
export const mish = fromDecl(ACTIVATIONS.mish);
export const softsign = fromDecl(ACTIVATIONS.softsign);
export const logsigmoid = fromDecl(ACTIVATIONS.logsigmoid);

const leakyReluOp = fromDecl(ACTIVATIONS.leakyRelu);
export function leakyRelu(x: Tensor, slope = 0.01): Tensor {
  return leakyReluOp(x, slope);
}
const eluOp = fromDecl(ACTIVATIONS.elu);
export function elu(x: Tensor, alpha = 1): Tensor {
  return eluOp(x, alpha);
}
const softplusOp = fromDecl(ACTIVATIONS.softplus);
export function softplus(x: Tensor, beta = 1, threshold = 20): Tensor {
  if (!(beta > 0)) throw new Error(`softplus: beta must be positive, got ${beta}`);
  return softplusOp(x, beta, threshold);
}
const hardtanhOp = fromDecl(ACTIVATIONS.hardtanh);
export function hardtanh(x: Tensor, min = -1, max = 1): Tensor {
  if (!(min <= max)) throw new Error(`hardtanh: min (${min}) must not exceed max (${max})`);
  return hardtanhOp(x, min, max);
}

/** relu keeps integer dtypes; its derivative at 0 is 0 (PyTorch's convention). */
export const relu = fromDecl(ACTIVATIONS.relu, undefined, "relu") as (x: Tensor) => Tensor;

export function neg(xIn: Tensor): Tensor {
  const x = checkTensor("neg", xIn);
  if (x.dtype === "bool") throw new Error(`neg: negation of a bool tensor is not supported; use logicalNot() instead`);
  const out = unaryRaw("neg", x, x.dtype);
  return record(out, "NegBackward", [x], (g) => [unaryRaw("neg", g, g.dtype)], []);
}

export const abs = fromDecl(MATH_UNARY_DECLS.abs, undefined, "abs") as (x: Tensor) => Tensor;

export function sin(x: Tensor): Tensor {
  const out = unaryRaw("sin", checkTensor("sin", x), floatType(x.dtype));
  return record(out, "SinBackward", [x], (g) => [mul(g, unaryRaw("cos", x, g.dtype))]);
}

export function cos(x: Tensor): Tensor {
  const out = unaryRaw("cos", checkTensor("cos", x), floatType(x.dtype));
  return record(out, "CosBackward", [x], (g) => [mul(g, unaryRaw("neg", unaryRaw("sin", x, g.dtype), g.dtype))]);
}

/** sign, floor, ceil and round are piecewise constant: zero gradient, as in PyTorch. */
function stepFunction(op: UnaryOp) {
  return (xIn: Tensor): Tensor => {
    const x = checkTensor(op, xIn);
    const out = unaryRaw(op, x, x.dtype);
    return record(out, `${op}Backward`, [x], (g) => [alloc(g.shape, g.dtype, g.device)], []);
  };
}
export const sign = stepFunction("sign");
export const floor = stepFunction("floor");
export const ceil = stepFunction("ceil");
export const round = stepFunction("round");

export function logicalNot(x: Tensor): Tensor {
  return unaryRaw("not", checkTensor("logicalNot", x), "bool");
}

/** clamp(x, min, max): either bound may be omitted; the gradient passes where min <= x <= max. */
export function clamp(xIn: Tensor, min?: number | null, max?: number | null): Tensor {
  const x = checkTensor("clamp", xIn);
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  if (min == null && max == null) throw new Error(`clamp: give at least one of min and max`);
  const dtype = isFloating(x.dtype) || (Number.isInteger(lo) || lo === -Infinity) && (Number.isInteger(hi) || hi === Infinity) ? x.dtype : "float32";
  return clampOp(x, lo, hi, dtype);
}
const clampOps = new Map<DType, ReturnType<typeof fromDecl>>();
/** clamp's result dtype depends on its bounds, so there is one op per result dtype */
function clampOp(x: Tensor, lo: number, hi: number, dtype: DType): Tensor {
  let op = clampOps.get(dtype);
  if (!op) clampOps.set(dtype, (op = fromDecl(MATH_UNARY_DECLS.clamp, () => dtype)));
  return op(x, lo, hi);
}

/** prelu(x, weight): weight has 1 element or one per channel (dim 1 of x). */
export function prelu(x: Tensor, weight: Tensor): Tensor {
  checkTensor("prelu", x);
  checkTensor("prelu", weight);
  if (weight.numel() !== 1) {
    const channels = x.dim() >= 2 ? x.shape[1] : 1;
    if (weight.dim() !== 1 || weight.shape[0] !== channels) {
      throw new Error(`prelu: weight of shape [${weight.shape}] does not match ${channels} channels (dim 1) of input [${x.shape}]`);
    }
    const shape = x.shape.map((_, d) => (d === 1 ? channels : 1));
    return where(binaryRaw("gt", x, zeroLike(x), "bool", "prelu"), x, mul(x, weight.reshape(shape)));
  }
  return where(binaryRaw("gt", x, zeroLike(x), "bool", "prelu"), x, mul(x, weight.reshape([])));
}

function zeroLike(x: Tensor): Tensor {
  return alloc([], x.dtype, x.device);
}

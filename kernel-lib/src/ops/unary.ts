import type { BinaryOp, UnaryOp } from "../backends/backend";
import { record } from "../tensor/autograd";
import { DType, isFloating } from "../tensor/dtype";
import { Tensor } from "../tensor/tensor-class";
import { alloc, backendOf, floatType } from "./core";
import { binaryRaw, mul, div, where } from "./elementwise";

/** Runs a unary kernel (no autograd). */
export function unaryRaw(op: UnaryOp, x: Tensor, dtype: DType, p0?: number, p1?: number): Tensor {
  const out = alloc(x.shape, dtype, x.device);
  backendOf(x).unary(op, x._data, out._data, p0, p1);
  return out;
}

function checkTensor(op: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) throw new Error(`${op}: expected a Tensor, got ${x === null ? "null" : typeof x}`);
  return x;
}

/**
 * A float-valued unary op whose backward is one fused grad kernel `gradOp(g, saved)`, where saved is the
 * input (`"input"`) or the output (`"output"`).
 */
function floatUnary(name: string, op: UnaryOp, gradOp: BinaryOp, saves: "input" | "output", p0?: number, p1?: number) {
  return (xIn: Tensor): Tensor => {
    const x = checkTensor(name, xIn);
    const out = unaryRaw(op, x, floatType(x.dtype), p0, p1);
    const saved = saves === "input" ? x : out;
    return record(out, `${name}Backward`, [x], (g) => [binaryRaw(gradOp, g, saved, g.dtype, name, p0, p1)], [saved]);
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
export const sqrt = floatUnary("Sqrt", "sqrt", "sqrtGrad", "output");
export const sigmoid = floatUnary("Sigmoid", "sigmoid", "sigmoidGrad", "output");
export const tanh = floatUnary("Tanh", "tanh", "tanhGrad", "output");
export const gelu = floatUnary("Gelu", "gelu", "geluGrad", "input");
export const geluTanh = floatUnary("Gelu", "geluTanh", "geluTanhGrad", "input");
export const silu = floatUnary("Silu", "silu", "siluGrad", "input");
export const mish = floatUnary("Mish", "mish", "mishGrad", "input");
export const softsign = floatUnary("Softsign", "softsign", "softsignGrad", "input");
export const logsigmoid = floatUnary("LogSigmoid", "logsigmoid", "logsigmoidGrad", "input");

export function leakyRelu(x: Tensor, slope = 0.01): Tensor {
  return floatUnary("LeakyRelu", "leakyRelu", "leakyReluGrad", "input", slope)(x);
}
export function elu(x: Tensor, alpha = 1): Tensor {
  return floatUnary("Elu", "elu", "eluGrad", "input", alpha)(x);
}
export function softplus(x: Tensor, beta = 1, threshold = 20): Tensor {
  if (!(beta > 0)) throw new Error(`softplus: beta must be positive, got ${beta}`);
  return floatUnary("Softplus", "softplus", "softplusGrad", "input", beta, threshold)(x);
}
export function hardtanh(x: Tensor, min = -1, max = 1): Tensor {
  if (!(min <= max)) throw new Error(`hardtanh: min (${min}) must not exceed max (${max})`);
  return floatUnary("Hardtanh", "hardtanh", "hardtanhGrad", "input", min, max)(x);
}

/** relu keeps integer dtypes; its derivative at 0 is 0 (PyTorch's convention). */
export function relu(xIn: Tensor): Tensor {
  const x = checkTensor("relu", xIn);
  const out = unaryRaw("relu", x, x.dtype === "bool" ? "int32" : x.dtype);
  return record(out, "ReluBackward", [x], (g) => [binaryRaw("reluGrad", g, x, g.dtype, "relu")]);
}

export function neg(xIn: Tensor): Tensor {
  const x = checkTensor("neg", xIn);
  if (x.dtype === "bool") throw new Error(`neg: negation of a bool tensor is not supported; use logicalNot() instead`);
  const out = unaryRaw("neg", x, x.dtype);
  return record(out, "NegBackward", [x], (g) => [unaryRaw("neg", g, g.dtype)], []);
}

export function abs(xIn: Tensor): Tensor {
  const x = checkTensor("abs", xIn);
  const out = unaryRaw("abs", x, x.dtype);
  return record(out, "AbsBackward", [x], (g) => [binaryRaw("absGrad", g, x, g.dtype, "abs")]);
}

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
  const out = unaryRaw("clamp", x, dtype, lo, hi);
  return record(out, "ClampBackward", [x], (g) => [binaryRaw("clampGrad", g, x, g.dtype, "clamp", lo, hi)]);
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
